module example.com/k8s-handlecrash

go 1.24

require (
	k8s.io/apimachinery v0.26.15
	k8s.io/klog/v2 v2.80.1
)

require github.com/go-logr/logr v1.2.3 // indirect
