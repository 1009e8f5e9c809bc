package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/cambista/cambista/i18n"
)

// TestLabels checks that every label a template asks for, and every page
// title, is defined, and that every label defined is used; TestWords, that
// each has its Spanish.
func TestLabels(t *testing.T) {
	used := map[string]bool{}
	asked := regexp.MustCompile(`\.T "([^"]+)"`)
	// A label chosen by data, {{.T (print "rules.kind." .Kind)}}, uses every
	// label under its prefix.
	prefixes := map[string]bool{}
	askedByData := regexp.MustCompile(`\.T \(print "([^"]+\.)"`)
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range asked.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
		for _, m := range askedByData.FindAllStringSubmatch(string(b), -1) {
			prefixes[m[1]] = true
		}
		if page, ok := strings.CutPrefix(d.Name(), "page_"); ok {
			used["title."+strings.TrimSuffix(page, ".html")] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(used) < 100 {
		t.Fatalf("found only %d labels in the templates", len(used))
	}
	for key := range used {
		if _, ok := labels[key]; !ok {
			t.Errorf("label %q is used but not defined", key)
		}
	}
	for key := range labels {
		if i := strings.LastIndexByte(key, '.'); i > 0 && prefixes[key[:i+1]] {
			continue
		}
		if !used[key] {
			t.Errorf("label %q is defined but no template uses it", key)
		}
	}
}

func TestWords(t *testing.T) {
	if err := i18n.Check(words); err != nil {
		t.Error(err)
	}
}
