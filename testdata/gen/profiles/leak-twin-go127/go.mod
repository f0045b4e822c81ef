module example.com/leaktwin127

go 1.27
