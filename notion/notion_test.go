package notion_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/cambista/cambista/notion"
	"github.com/cambista/cambista/notion/notiontest"
)

const db = "db-batches"

var schema = notiontest.Schema{"Name": notiontest.TitleType, "Key": notiontest.RichTextType,
	"Net": notiontest.NumberType, "Status": notiontest.SelectType, "Closed": notiontest.DateType}

func TestPages(t *testing.T) {
	fake := notiontest.New(t, map[string]notiontest.Schema{db: schema})
	c := notion.New(fake.URL, notiontest.Token, 1000)
	ctx := context.Background()
	closed := time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC)
	id, err := c.CreatePage(ctx, db, notion.Properties{"Name": notion.Title("Lote #7"), "Key": notion.Text("batch:7"),
		"Net": notion.Number("4.37"), "Status": notion.Select("abierto"), "Closed": notion.Date(time.Time{})})
	if err != nil || id == "" {
		t.Fatalf("create: %q, %v", id, err)
	}
	if err := c.UpdatePage(ctx, id, notion.Properties{"Status": notion.Select("cerrado"), "Closed": notion.Date(closed)}); err != nil {
		t.Fatal(err)
	}
	found, err := c.FindPage(ctx, db, "Key", "batch:7")
	if err != nil || found != id {
		t.Fatalf("find: %q, %v; want %q", found, err, id)
	}
	if none, err := c.FindPage(ctx, db, "Key", "batch:8"); err != nil || none != "" {
		t.Fatalf("find a page that is not there: %q, %v", none, err)
	}
	pages := fake.Pages(db)
	want := map[string]string{"Name": "Lote #7", "Key": "batch:7", "Net": "4.37", "Status": "cerrado", "Closed": "2026-12-03T07:00:00Z"}
	if len(pages) != 1 || len(pages[0].Properties) != len(want) {
		t.Fatalf("pages %+v", pages)
	}
	for k, v := range want {
		if pages[0].Properties[k] != v {
			t.Fatalf("%s = %q, want %q", k, pages[0].Properties[k], v)
		}
	}

	// Notion's refusals come back as *Error, with the wait of a 429.
	var ne *notion.Error
	_, err = c.CreatePage(ctx, db, notion.Properties{"Nope": notion.Text("x")})
	if !errors.As(err, &ne) || ne.Status != http.StatusBadRequest || ne.Code != "validation_error" {
		t.Fatalf("unknown property: %v", err)
	}
	fake.RateLimit(1, 7)
	err = c.UpdatePage(ctx, id, notion.Properties{"Status": notion.Select("x")})
	if !errors.As(err, &ne) || ne.Status != http.StatusTooManyRequests || ne.RetryAfter() != 7*time.Second {
		t.Fatalf("rate limited: %v", err)
	}
	err = notion.New(fake.URL, "wrong", 1000).UpdatePage(ctx, id, nil)
	if !errors.As(err, &ne) || ne.Status != http.StatusUnauthorized {
		t.Fatalf("bad token: %v", err)
	}
}

// TestRate: requests from several goroutines are spaced by the rate.
func TestRate(t *testing.T) {
	fake := notiontest.New(t, map[string]notiontest.Schema{db: schema})
	c := notion.New(fake.URL, notiontest.Token, 20) // 50 ms apart
	done := make(chan error)
	start := time.Now()
	for range 6 {
		go func() {
			_, err := c.FindPage(context.Background(), db, "Key", "x")
			done <- err
		}()
	}
	for range 6 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	// The sixth request could not start before five spacings had passed.
	if took := time.Since(start); took < 5*50*time.Millisecond {
		t.Fatalf("6 requests at 20/s took %v, want at least 250ms", took)
	}
	if n := len(fake.Requests()); n != 6 {
		t.Fatalf("%d requests", n)
	}
}
