module github.com/gotriage/bench/gendump

go 1.26
