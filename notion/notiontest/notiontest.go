// Package notiontest is a fake Notion API for tests: the pages of
// databases whose property schemas the test declares. It checks the shape
// of every request as Notion would (the token, the Notion-Version header,
// JSON bodies whose property values match the database's schema), answers
// with Notion's error objects, and can answer 429 with Retry-After.
package notiontest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cambista/cambista/notion"
)

// Token is the integration token the fake accepts.
const Token = "secret_test_token"

// Property types a schema may name.
const (
	TitleType    = "title"
	RichTextType = "rich_text"
	NumberType   = "number"
	SelectType   = "select"
	DateType     = "date"
)

// Schema is a database's properties: name → type.
type Schema map[string]string

// Request is one request the fake received.
type Request struct {
	Method, Path string
	Body         []byte
	Status       int
	Time         time.Time
}

// Page is a page as the fake keeps it: each property's value as text
// (the content of a title or rich_text, a select's name, a number's
// digits, a date's start; "" when empty).
type Page struct {
	ID         string
	Database   string
	Properties map[string]string
}

// Server is the fake.
type Server struct {
	*httptest.Server
	t *testing.T

	mu       sync.Mutex
	schemas  map[string]Schema
	pages    map[string]*Page
	order    []string
	requests []Request
	limited  int // requests still to answer 429
	wait     int // their Retry-After, in seconds
}

// New starts a fake with the databases (ID → schema), stopped when the
// test ends.
func New(t *testing.T, databases map[string]Schema) *Server {
	s := &Server{t: t, schemas: databases, pages: map[string]*Page{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// RateLimit makes the next n requests answer 429 with Retry-After.
func (s *Server) RateLimit(n, retryAfterSeconds int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limited, s.wait = n, retryAfterSeconds
}

// Requests returns every request so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Pages returns the database's pages, in the order they were created.
func (s *Server) Pages(database string) []Page {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Page
	for _, id := range s.order {
		if p, ok := s.pages[id]; ok && p.Database == database {
			c := *p
			c.Properties = map[string]string{}
			for k, v := range p.Properties {
				c.Properties[k] = v
			}
			out = append(out, c)
		}
	}
	return out
}

// DeletePage removes a page, as someone deleting it in Notion would.
func (s *Server) DeletePage(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.pages, id)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	status, out := s.answer(w, r, body)
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Body: body, Status: status, Time: time.Now()})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(out)
}

type apiError struct {
	Object  string `json:"object"`
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func fail(status int, code, format string, args ...any) (int, any) {
	return status, apiError{Object: "error", Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func (s *Server) answer(w http.ResponseWriter, r *http.Request, body []byte) (int, any) {
	if r.Header.Get("Authorization") != "Bearer "+Token {
		return fail(http.StatusUnauthorized, "unauthorized", "API token is invalid.")
	}
	if v := r.Header.Get("Notion-Version"); v != notion.Version {
		return fail(http.StatusBadRequest, "missing_version", "Notion-Version header %q, want %s", v, notion.Version)
	}
	if s.limited > 0 {
		s.limited--
		w.Header().Set("Retry-After", fmt.Sprint(s.wait))
		return fail(http.StatusTooManyRequests, "rate_limited", "You have been rate limited.")
	}
	if r.Header.Get("Content-Type") != "application/json" {
		return fail(http.StatusBadRequest, "invalid_request", "Content-Type %q", r.Header.Get("Content-Type"))
	}
	var in map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&in); err != nil {
		return fail(http.StatusBadRequest, "invalid_json", "body: %v", err)
	}
	path := r.URL.Path
	switch {
	case r.Method == http.MethodPost && path == "/v1/pages":
		var parent struct {
			DatabaseID string `json:"database_id"`
		}
		if err := json.Unmarshal(in["parent"], &parent); err != nil || parent.DatabaseID == "" {
			return fail(http.StatusBadRequest, "validation_error", "parent.database_id is required")
		}
		schema, ok := s.schemas[parent.DatabaseID]
		if !ok {
			return fail(http.StatusNotFound, "object_not_found", "Could not find database with ID: %s.", parent.DatabaseID)
		}
		props, err := values(schema, in["properties"])
		if err != nil {
			return fail(http.StatusBadRequest, "validation_error", "%v", err)
		}
		id := fmt.Sprintf("%08x-0000-4000-8000-%012x", len(s.order)+1, len(s.order)+1)
		s.pages[id] = &Page{ID: id, Database: parent.DatabaseID, Properties: props}
		s.order = append(s.order, id)
		return http.StatusOK, map[string]any{"object": "page", "id": id}
	case r.Method == http.MethodPatch && strings.HasPrefix(path, "/v1/pages/"):
		p, ok := s.pages[strings.TrimPrefix(path, "/v1/pages/")]
		if !ok {
			return fail(http.StatusNotFound, "object_not_found", "Could not find page with ID: %s.", strings.TrimPrefix(path, "/v1/pages/"))
		}
		props, err := values(s.schemas[p.Database], in["properties"])
		if err != nil {
			return fail(http.StatusBadRequest, "validation_error", "%v", err)
		}
		for k, v := range props {
			p.Properties[k] = v
		}
		return http.StatusOK, map[string]any{"object": "page", "id": p.ID}
	case r.Method == http.MethodPost && strings.HasPrefix(path, "/v1/databases/") && strings.HasSuffix(path, "/query"):
		db := strings.TrimSuffix(strings.TrimPrefix(path, "/v1/databases/"), "/query")
		schema, ok := s.schemas[db]
		if !ok {
			return fail(http.StatusNotFound, "object_not_found", "Could not find database with ID: %s.", db)
		}
		var f struct {
			Property string `json:"property"`
			RichText struct {
				Equals *string `json:"equals"`
			} `json:"rich_text"`
		}
		if err := json.Unmarshal(in["filter"], &f); err != nil || schema[f.Property] != RichTextType || f.RichText.Equals == nil {
			return fail(http.StatusBadRequest, "validation_error", "filter must be a rich_text equals on a rich_text property: %s", in["filter"])
		}
		results := []map[string]any{}
		for _, id := range s.order {
			if p, ok := s.pages[id]; ok && p.Database == db && p.Properties[f.Property] == *f.RichText.Equals {
				results = append(results, map[string]any{"object": "page", "id": id})
			}
		}
		return http.StatusOK, map[string]any{"object": "list", "results": results, "has_more": false}
	}
	return fail(http.StatusBadRequest, "invalid_request_url", "no route %s %s", r.Method, path)
}

// values checks property values against the schema, as Notion's
// validation does, and returns each as text.
func values(schema Schema, raw json.RawMessage) (map[string]string, error) {
	var props map[string]map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&props); err != nil {
		return nil, fmt.Errorf("properties: %v", err)
	}
	out := map[string]string{}
	for name, v := range props {
		typ, ok := schema[name]
		if !ok {
			return nil, fmt.Errorf("%s is not a property that exists", name)
		}
		if len(v) != 1 || v[typ] == nil {
			return nil, fmt.Errorf("%s is expected to be %s", name, typ)
		}
		text, err := value(typ, v[typ])
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		out[name] = text
	}
	return out, nil
}

func value(typ string, raw json.RawMessage) (string, error) {
	if string(raw) == "null" && (typ == SelectType || typ == DateType || typ == NumberType) {
		return "", nil
	}
	switch typ {
	case TitleType, RichTextType:
		var ts []struct {
			Text *struct {
				Content *string `json:"content"`
			} `json:"text"`
		}
		if err := json.Unmarshal(raw, &ts); err != nil {
			return "", err
		}
		var b strings.Builder
		for _, t := range ts {
			if t.Text == nil || t.Text.Content == nil {
				return "", fmt.Errorf("a rich text object needs text.content")
			}
			if len(*t.Text.Content) > 2000 {
				return "", fmt.Errorf("text longer than 2000 characters")
			}
			b.WriteString(*t.Text.Content)
		}
		return b.String(), nil
	case NumberType:
		var n json.Number
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&n); err != nil {
			return "", fmt.Errorf("number expected: %s", raw)
		}
		return n.String(), nil
	case SelectType:
		var sel struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal(raw, &sel); err != nil || sel.Name == "" || strings.Contains(sel.Name, ",") {
			return "", fmt.Errorf("select expects {name} without commas: %s", raw)
		}
		return sel.Name, nil
	case DateType:
		var d struct {
			Start string `json:"start"`
		}
		if err := json.Unmarshal(raw, &d); err != nil {
			return "", err
		}
		if _, err := time.Parse(time.RFC3339, d.Start); err != nil {
			return "", fmt.Errorf("date.start %q is not ISO 8601", d.Start)
		}
		return d.Start, nil
	}
	return "", fmt.Errorf("unknown type %s", typ)
}
