module example.com/reportsvc

go 1.19

require github.com/davecgh/go-spew v1.1.1
