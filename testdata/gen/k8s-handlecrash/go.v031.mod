module example.com/k8s-handlecrash

go 1.24

require (
	k8s.io/apimachinery v0.31.3
	k8s.io/klog/v2 v2.130.1
)

require github.com/go-logr/logr v1.4.2 // indirect
