// Command cambista runs a currency-exchange and remittance business inside
// a Discord server. Run "cambista help" for the subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

const usage = `cambista — currency exchange and remittances inside Discord

Usage: cambista <command> [flags]

Commands:
  serve            run the HTTP server (health, metrics, admin panel) and the bot
  web              run the HTTP server (health, metrics, admin panel) without the bot
  worker           deliver the outbox (Discord cards, DMs, roles) on its own
  demo             fill an empty database with a week of sample business
  migrate          bring the database schema up to date
  audit verify     check the whole audit chain
  ledger check     check the ledger's invariants
  roles reconcile  make Discord roles match the app roles (the app is the source of truth)
  backup FILE      copy the SQLite database, online, to FILE (PostgreSQL: pg_dump; see docs/operations.md)
  restore FILE     replace the SQLite database with the backup FILE (stop the server first)
  health           ask the running server's /healthz (the container's HEALTHCHECK)
  loadtest         run transfer lifecycles through signed interactions and print the figures (docs/scaling.md)
  version          print the version

Settings (environment variable, flag, default):
`

// run is main without the process: it returns the exit code, so tests can
// drive every subcommand.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		(&Config{}).Usage(stdout)
		return 0
	}
	cmd, rest := args[0], args[1:]
	if (cmd == "audit" || cmd == "ledger" || cmd == "roles") && len(rest) > 0 {
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	if cmd == "version" {
		fmt.Fprintln(stdout, "cambista", version)
		return 0
	}
	if cmd == "loadtest" {
		// A load generator, not a server: flags of its own.
		return loadTest(ctx, rest, getenv, stdout, stderr)
	}
	cfg, rest, err := LoadConfig("cambista "+cmd, rest, getenv, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "cambista:", err)
		return 2
	}
	var file string
	if cmd == "backup" || cmd == "restore" {
		if len(rest) != 1 {
			fmt.Fprintf(stderr, "cambista %s: name one file: cambista %s FILE\n", cmd, cmd)
			return 2
		}
		file, rest = rest[0], nil
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "cambista %s: unexpected arguments %q\n", cmd, rest)
		return 2
	}
	m := &Main{Config: cfg, Stdout: stdout, Stderr: stderr}
	var code int
	switch cmd {
	case "serve":
		code = m.Serve(ctx)
	case "web":
		code = m.Web(ctx)
	case "migrate":
		code = m.Migrate(ctx)
	case "audit verify":
		code = m.AuditVerify(ctx)
	case "ledger check":
		code = m.LedgerCheck(ctx)
	case "roles reconcile":
		code = m.RolesReconcile(ctx)
	case "worker":
		code = m.Worker(ctx)
	case "demo":
		code = m.Demo(ctx)
	case "health":
		code = m.Health(ctx)
	case "backup":
		code = m.Backup(ctx, file)
	case "restore":
		code = m.Restore(ctx, file)
	default:
		fmt.Fprintf(stderr, "cambista: unknown command %q; run cambista help\n", cmd)
		return 2
	}
	m.Close()
	return code
}
