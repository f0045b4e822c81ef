// Command index-out-of-range reproduces "index out of range": a CSV row with
// fewer columns than the parser expects.
package main

import (
	"fmt"
	"strings"
)

type record struct {
	sku   string
	qty   string
	price string
}

func parseRow(line string) record {
	cols := strings.Split(line, ",")
	return record{sku: cols[0], qty: cols[1], price: cols[2]}
}

func main() {
	input := []string{"A-1,2,9.99", "B-7,1,4.50", "C-3,5"}
	for _, l := range input {
		fmt.Printf("%+v\n", parseRow(l))
	}
}
