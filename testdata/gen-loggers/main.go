// Each logging library's fatal record, as the library prints it: the forms
// parsers/fatal_record.h reads.
package main

import (
	"errors"
	"os"

	"github.com/golang/glog"
	"github.com/rs/zerolog"
	"github.com/sirupsen/logrus"
	"go.uber.org/zap"
	"k8s.io/klog/v2"
)

func main() {
	err := errors.New("dial tcp 10.0.0.7:5432: connect: connection refused")
	switch os.Args[1] {
	case "zap-json":
		l, _ := zap.NewProduction()
		l.Info("starting", zap.String("addr", ":8080"))
		l.Fatal("failed to connect to database", zap.Error(err))
	case "zap-console":
		l, _ := zap.NewDevelopment()
		l.Info("starting", zap.String("addr", ":8080"))
		l.Fatal("failed to connect to database", zap.Error(err))
	case "logrus-json":
		logrus.SetFormatter(&logrus.JSONFormatter{})
		logrus.SetReportCaller(true)
		logrus.WithField("addr", ":8080").Info("starting")
		logrus.WithError(err).Fatal("failed to connect to database")
	case "logrus-text":
		logrus.SetFormatter(&logrus.TextFormatter{DisableColors: true, FullTimestamp: true})
		logrus.WithField("addr", ":8080").Info("starting")
		logrus.WithError(err).Fatal("failed to connect to database")
	case "logrus-tty":
		logrus.SetFormatter(&logrus.TextFormatter{ForceColors: true})
		logrus.WithField("addr", ":8080").Info("starting")
		logrus.WithError(err).Fatal("failed to connect to database")
	case "zerolog-json":
		l := zerolog.New(os.Stderr).With().Timestamp().Caller().Logger()
		l.Info().Str("addr", ":8080").Msg("starting")
		l.Fatal().Err(err).Msg("failed to connect to database")
	case "zerolog-console":
		l := zerolog.New(zerolog.ConsoleWriter{Out: os.Stderr, NoColor: true}).With().Timestamp().Caller().Logger()
		l.Info().Str("addr", ":8080").Msg("starting")
		l.Fatal().Err(err).Msg("failed to connect to database")
	case "glog":
		// glog's Fatal prints every goroutine's stack after the record;
		// one more goroutine waits in a worker, as a service's would.
		started := make(chan struct{})
		go worker(started)
		<-started
		glog.Infof("starting addr=%s", ":8080")
		connect(err)
	case "klog":
		klog.InfoS("starting", "addr", ":8080")
		klog.Fatalf("failed to connect to database: %v", err)
	}
}

func worker(started chan<- struct{}) {
	jobs := make(chan int)
	close(started)
	for range jobs {
	}
}

// connect fails as a service's start-up does: it logs at fatal level.
func connect(err error) {
	glog.Fatalf("failed to connect to database: %v", err)
}
