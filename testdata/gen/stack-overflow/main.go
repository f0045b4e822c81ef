// Command stack-overflow reproduces "fatal error: stack overflow": a JSON-ish
// value renderer and a list renderer call each other forever on a cyclic value.
// The stack limit is lowered with debug.SetMaxStack to keep the run short.
package main

import (
	"fmt"
	"runtime/debug"
	"strings"
)

type Node struct {
	Name     string
	Children []*Node
}

func renderNode(b *strings.Builder, n *Node) {
	b.WriteString(n.Name)
	renderChildren(b, n.Children)
}

func renderChildren(b *strings.Builder, kids []*Node) {
	b.WriteString("[")
	for _, k := range kids {
		renderNode(b, k)
	}
	b.WriteString("]")
}

func main() {
	debug.SetMaxStack(64 << 20)
	root := &Node{Name: "root"}
	child := &Node{Name: "child", Children: []*Node{root}}
	root.Children = []*Node{child}
	var b strings.Builder
	renderNode(&b, root)
	fmt.Println(b.Len())
}
