// Command type-assertion reproduces GT1012 (type_assertion): a failed type
// assertion without the comma-ok form. Settings decoded from JSON into a
// map[string]any hold every number as float64; listenPort asserts int, and
// the runtime panics with `interface conversion: interface {} is float64,
// not int`.
package main

import (
	"encoding/json"
	"fmt"
)

type Settings struct {
	raw map[string]any
}

func loadSettings(doc string) (*Settings, error) {
	s := &Settings{}
	if err := json.Unmarshal([]byte(doc), &s.raw); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Settings) listenPort() int {
	return s.raw["port"].(int)
}

func main() {
	s, err := loadSettings(`{"host": "0.0.0.0", "port": 8080}`)
	if err != nil {
		panic(err)
	}
	fmt.Printf("listening on %s:%d\n", s.raw["host"], s.listenPort())
}
