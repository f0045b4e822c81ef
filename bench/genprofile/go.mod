module example.com/genprofile

go 1.22
