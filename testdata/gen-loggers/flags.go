// Command lines refused: what flag.Parse and cobra print when a service is
// started with arguments written for another release of it (an init, so
// that main.go's lines, which the other captures name, stay where they are).
package main

import (
	"flag"
	"os"
	"time"

	"github.com/spf13/cobra"
)

func init() {
	if len(os.Args) < 2 {
		return
	}
	switch os.Args[1] {
	case "flag-unknown", "flag-bad-value":
		// A controller's flags: flag.Parse prints the error and the usage,
		// then exits with status 2.
		flag.String("metrics-bind-address", ":8080", "The address the metric endpoint binds to.")
		flag.Bool("leader-elect", false, "Enable leader election for controller manager.")
		flag.Duration("sync-period", 10*time.Hour, "The minimum interval at which watched resources are reconciled.")
		args := []string{"--metrics-addr=:8080", "--leader-elect"}
		if os.Args[1] == "flag-bad-value" {
			args = []string{"--leader-elect", "--sync-period=600"}
		}
		os.Args = append([]string{"/manager"}, args...)
		flag.Parse()
		os.Exit(0)
	case "cobra-unknown":
		// The same under cobra (pflag): `Error: unknown flag`, the usage, exit 1.
		cmd := &cobra.Command{Use: "manager", RunE: func(*cobra.Command, []string) error { return nil }}
		cmd.Flags().String("metrics-bind-address", ":8080", "The address the metric endpoint binds to.")
		cmd.Flags().Bool("leader-elect", false, "Enable leader election for controller manager.")
		cmd.SetArgs([]string{"--zap-log-level=debug", "--leader-elect"})
		if cmd.Execute() != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
}
