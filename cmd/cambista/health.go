package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Health asks the running server's /healthz, on CAMBISTA_METRICS_ADDR if
// set, else CAMBISTA_HTTP_ADDR: exit 0 when it answers 200. It is the
// container's HEALTHCHECK, as a minimal image has no curl.
func (m *Main) Health(ctx context.Context) int {
	addr := m.Config.HTTPAddr
	if m.Config.MetricsAddr != "" {
		addr = m.Config.MetricsAddr
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		fmt.Fprintln(m.Stderr, "cambista health:", err)
		return 1
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1" // listening on every interface: ask the loopback
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	url := "http://" + net.JoinHostPort(host, port) + "/healthz"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		fmt.Fprintln(m.Stderr, "cambista health:", err)
		return 1
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(m.Stderr, "cambista health:", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(m.Stderr, "cambista health: %s answered %s\n", url, resp.Status)
		return 1
	}
	fmt.Fprintln(m.Stdout, "ok")
	return 0
}
