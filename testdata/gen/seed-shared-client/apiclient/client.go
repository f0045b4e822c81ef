// Package apiclient is a small REST client shared by several services. Its
// Client is NOT safe for concurrent use: default query parameters live in a
// plain map that SetParam writes and every request copies.
package apiclient

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Params holds default query parameters.
type Params struct {
	values map[string]string
}

// NewParams returns an empty parameter set.
func NewParams() *Params {
	return &Params{values: make(map[string]string)}
}

// Set stores a parameter.
func (p *Params) Set(k, v string) {
	p.values[k] = v
}

// DeepCopy returns an independent copy of p.
func (p *Params) DeepCopy() *Params {
	out := &Params{values: make(map[string]string, len(p.values))}
	for k, v := range p.values {
		out.values[k] = v
	}
	return out
}

// Encode renders the parameters as a query string.
func (p *Params) Encode() string {
	keys := make([]string, 0, len(p.values))
	for k := range p.values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(p.values[k]))
	}
	return b.String()
}

// Client builds requests against one base URL.
type Client struct {
	BaseURL string
	params  *Params
}

// New returns a client with a few default parameters.
func New(base string) *Client {
	c := &Client{BaseURL: base, params: NewParams()}
	for i := 0; i < 48; i++ {
		c.params.Set(fmt.Sprintf("default_%02d", i), "on")
	}
	return c
}

// SetParam sets a default parameter sent with every later request.
func (c *Client) SetParam(k, v string) {
	c.params.Set(k, v)
}

// BuildURL returns the URL a GET of path would use.
func (c *Client) BuildURL(path string) string {
	p := c.params.DeepCopy()
	return c.BaseURL + path + "?" + p.Encode()
}
