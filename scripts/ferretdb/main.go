// Command ferretdb is Koppelwerk's launcher for FerretDB v1 (MongoDB wire protocol on SQLite, or on
// PostgreSQL with -postgresql-url).
//
// Why a launcher of our own: `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`
// builds, but the binary panics at start-up because build/version requires a generated
// version.txt when FerretDB itself is the main module, and module downloads do not carry it.
// The embeddable package github.com/FerretDB/FerretDB/ferretdb skips that check.
//
// Usage:
//
//	ferretdb [-listen 127.0.0.1:27017] [-dir ./data/ferretdb] [-postgresql-url postgres://…] [-log-level warn]
//
// When the listener is bound it prints exactly one line to stdout:
//
//	ferretdb listening on mongodb://127.0.0.1:27017/
//
// and then serves until SIGINT or SIGTERM, when it closes the listener, waits for open
// connections to finish, closes the SQLite databases and exits 0. It does the same when the
// process that started it goes away (even by SIGKILL), so a crashed `npm start` or test run
// leaves no FerretDB behind holding the port and the SQLite files.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on (port 0 picks a free port)")
	dir := flag.String("dir", "./data/ferretdb", "directory for the SQLite database files (created if missing)")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn or error (logs go to stderr)")
	pgURL := flag.String("postgresql-url", "", "use FerretDB's PostgreSQL backend at this URL instead of SQLite files in -dir")
	flag.Parse()

	if err := run(*listen, *dir, *pgURL, *logLevel); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}
}

func run(listen, dir, pgURL, logLevel string) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("bad -log-level %q: %w", logLevel, err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("bad -dir %q: %w", dir, err)
	}
	if err = os.MkdirAll(abs, 0o755); err != nil {
		return fmt.Errorf("cannot create -dir: %w", err)
	}
	// The SQLite handler wants a file: URI naming a directory, with a trailing slash.
	sqliteURL := (&url.URL{Scheme: "file", Path: strings.TrimSuffix(filepath.ToSlash(abs), "/") + "/"}).String()

	conf := &ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	}
	if pgURL != "" {
		conf.Handler = "postgresql"
		conf.PostgreSQLURL = pgURL
	}
	f, err := ferretdb.New(conf)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Our stdout/stderr are pipes to the parent; once it is gone a log line would raise SIGPIPE and
	// kill us before the SQLite files are closed. Ignored, the write just fails.
	signal.Ignore(syscall.SIGPIPE)
	go exitWithParent(logger, stop)

	// New has already bound the listener, so the address (and a port picked for :0) is known.
	fmt.Printf("ferretdb listening on %s\n", f.MongoDBURI())

	return f.Run(ctx)
}

// exitWithParent calls stop once our parent has gone. An orphan is re-parented (to init or a
// subreaper), so a changed Getppid is the portable sign; Go has no hook for a parent's death.
func exitWithParent(logger *slog.Logger, stop func()) {
	parent := os.Getppid()
	if parent <= 1 {
		return // started by init itself: nothing to watch
	}
	for range time.Tick(500 * time.Millisecond) {
		if os.Getppid() != parent {
			logger.Warn("parent process gone, shutting down", slog.Int("parent", parent))
			stop()
			return
		}
	}
}
