// The reproducer of gocheck's (gopkg.in/check.v1) PANIC report: each test
// of the suite panics the way a service's code does, and gocheck prints
// the panic as its own block (`PANIC: file:line: Suite.Test`, `... Panic:
// VALUE (PC=0x...)`, then `file:line` and `  in Func` per frame) instead of
// the runtime's traceback. testdata/gen-gocheck/capture runs it.
package store

import (
	"testing"

	. "gopkg.in/check.v1"
)

func Test(t *testing.T) { TestingT(t) }

type StoreSuite struct{}

var _ = Suite(&StoreSuite{})

type Order struct {
	ID    string
	Items []string
}

// decodeStatus trusts that the payload's status is a string.
func decodeStatus(payload map[string]interface{}) string {
	return payload["status"].(string)
}

func (s *StoreSuite) TestTypeAssertion(c *C) {
	payload := map[string]interface{}{"status": 3}
	c.Check(decodeStatus(payload), Equals, "3")
}

type cache struct{ entries map[string]*Order }

func (k *cache) put(o *Order) { k.entries[o.ID] = o }

func (s *StoreSuite) TestNilMapWrite(c *C) {
	var k cache
	k.put(&Order{ID: "a1"})
}

func firstItem(o *Order) string { return o.Items[0] }

func (s *StoreSuite) TestIndexOutOfRange(c *C) {
	c.Check(firstItem(&Order{ID: "a2"}), Equals, "")
}

func (s *StoreSuite) TestNilDereference(c *C) {
	var o *Order
	c.Check(o.ID, Equals, "")
}
