// Command deep-recursion-elided panics 200 frames deep in a recursive tree
// walk so the runtime elides the middle of the traceback.
package main

import "fmt"

type node struct {
	depth int
	next  *node
}

func build(n int) *node {
	var head *node
	for i := n; i > 0; i-- {
		head = &node{depth: i, next: head}
	}
	return head
}

func walk(n *node, limit int) int {
	if n.depth > limit {
		panic(fmt.Sprintf("walk: depth %d exceeds limit %d", n.depth, limit))
	}
	if n.next == nil {
		return n.depth
	}
	return walk(n.next, limit) + 1
}

func main() {
	fmt.Println(walk(build(250), 200))
}
