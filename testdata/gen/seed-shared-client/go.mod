module example.com/catalogsvc

go 1.19

require example.com/apiclient v0.0.0

replace example.com/apiclient => ./apiclient
