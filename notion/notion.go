// Package notion is a small client of Notion's public REST API (version
// 2022-06-28): it creates, finds and updates the pages of a database, one
// request at a time and no faster than the rate it is given, and reports
// Notion's refusals as *Error, with the wait a 429 asks for.
package notion

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Version is the API version every request names.
const Version = "2022-06-28"

// DefaultURL is Notion's API.
const DefaultURL = "https://api.notion.com"

// Client talks to Notion with an integration's token.
type Client struct {
	base  string
	token string
	http  *http.Client
	every time.Duration // least time between two requests

	mu   sync.Mutex
	next time.Time // when the next request may start
}

// New returns a client of the API at base (DefaultURL if empty) that
// sends at most perSecond requests a second (3, Notion's average limit,
// if zero).
func New(base, token string, perSecond float64) *Client {
	if base == "" {
		base = DefaultURL
	}
	if perSecond <= 0 {
		perSecond = 3
	}
	return &Client{base: strings.TrimRight(base, "/"), token: token, http: &http.Client{Timeout: 30 * time.Second},
		every: time.Duration(float64(time.Second) / perSecond)}
}

// Error is Notion's answer to a request it refused.
type Error struct {
	Status  int
	Code    string // Notion's error code: validation_error, object_not_found, rate_limited…
	Message string
	Wait    time.Duration // what Retry-After asked for, on a 429
}

func (e *Error) Error() string {
	return fmt.Sprintf("notion: %d %s: %s", e.Status, e.Code, e.Message)
}

// RetryAfter is how long Notion asked to wait before trying again.
func (e *Error) RetryAfter() time.Duration { return e.Wait }

// Properties are a page's property values by property name, as the API
// takes them; build them with Title, Text, Select, Number and Date.
type Properties map[string]any

type text struct {
	Text struct {
		Content string `json:"content"`
	} `json:"text"`
}

func texts(s string) []text {
	var t text
	t.Text.Content = s
	return []text{t}
}

// Title is the value of a title property.
func Title(s string) any { return map[string]any{"title": texts(s)} }

// Text is the value of a rich_text property.
func Text(s string) any { return map[string]any{"rich_text": texts(s)} }

// Select is the value of a select property; "" clears it.
func Select(name string) any {
	if name == "" {
		return map[string]any{"select": nil}
	}
	return map[string]any{"select": map[string]string{"name": name}}
}

// Number is the value of a number property, from exact decimal text: the
// JSON number is written as the text, never through a float.
func Number(decimal string) any { return map[string]any{"number": json.Number(decimal)} }

// Date is the value of a date property; the zero time clears it.
func Date(t time.Time) any {
	if t.IsZero() {
		return map[string]any{"date": nil}
	}
	return map[string]any{"date": map[string]string{"start": t.UTC().Format(time.RFC3339)}}
}

type page struct {
	ID string `json:"id"`
}

// CreatePage creates a page in the database and returns its ID.
func (c *Client) CreatePage(ctx context.Context, databaseID string, props Properties) (string, error) {
	var p page
	body := map[string]any{"parent": map[string]string{"database_id": databaseID}, "properties": props}
	if err := c.do(ctx, http.MethodPost, "/v1/pages", body, &p); err != nil {
		return "", err
	}
	return p.ID, nil
}

// UpdatePage sets the page's properties (those not named keep their
// values).
func (c *Client) UpdatePage(ctx context.Context, pageID string, props Properties) error {
	return c.do(ctx, http.MethodPatch, "/v1/pages/"+pageID, map[string]any{"properties": props}, nil)
}

// FindPage returns the ID of the database's page whose rich_text property
// equals value, or "" if there is none.
func (c *Client) FindPage(ctx context.Context, databaseID, property, value string) (string, error) {
	var res struct {
		Results []page `json:"results"`
	}
	body := map[string]any{
		"filter":    map[string]any{"property": property, "rich_text": map[string]string{"equals": value}},
		"page_size": 1,
	}
	if err := c.do(ctx, http.MethodPost, "/v1/databases/"+databaseID+"/query", body, &res); err != nil {
		return "", err
	}
	if len(res.Results) == 0 {
		return "", nil
	}
	return res.Results[0].ID, nil
}

// do sends one request, once its turn under the rate has come, and decodes
// the answer into out (if not nil).
func (c *Client) do(ctx context.Context, method, path string, body, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	if err := c.wait(ctx); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Notion-Version", Version)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		e := &Error{Status: resp.StatusCode}
		var msg struct{ Code, Message string }
		if json.Unmarshal(raw, &msg) == nil {
			e.Code, e.Message = msg.Code, msg.Message
		}
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			e.Wait = time.Duration(s) * time.Second
		}
		return e
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

// wait blocks until the client may send its next request: requests are
// spaced by the rate, across every goroutine that shares the client.
func (c *Client) wait(ctx context.Context) error {
	c.mu.Lock()
	now := time.Now()
	at := c.next
	if at.Before(now) {
		at = now
	}
	c.next = at.Add(c.every)
	c.mu.Unlock()
	if d := at.Sub(now); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}
