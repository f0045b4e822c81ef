// Command slice-bounds reproduces "slice bounds out of range": a pagination
// helper that trusts the requested page.
package main

import "fmt"

func page(items []string, pageNo, size int) []string {
	start := pageNo * size
	return items[start : start+size]
}

func main() {
	items := []string{"a", "b", "c", "d", "e", "f", "g"}
	for p := 0; p < 3; p++ {
		fmt.Println(page(items, p, 3))
	}
}
