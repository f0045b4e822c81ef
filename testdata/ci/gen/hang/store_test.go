package hang

import "testing"

func TestAdd(t *testing.T) {
	t.Log("adding")
	s := &Store{items: map[string]int{}}
	s.Add("a")
}
