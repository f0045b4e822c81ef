// Command nil-deref reproduces an unrecovered nil pointer dereference: an order
// whose optional customer record was never loaded.
package main

import "fmt"

type Customer struct {
	Name  string
	Email string
}

type Order struct {
	ID       int
	Customer *Customer
}

func loadOrder(id int) *Order {
	o := &Order{ID: id}
	if id%2 == 0 {
		o.Customer = &Customer{Name: "alice", Email: "alice@example.com"}
	}
	return o
}

func notificationAddress(o *Order) string {
	return o.Customer.Email
}

func main() {
	for id := 2; id < 5; id++ {
		o := loadOrder(id)
		fmt.Printf("order %d: notify %s\n", o.ID, notificationAddress(o))
	}
}
