package cambista

import (
	"bytes"
	"embed"
	"io/fs"
	"sort"
	"sync"
	"text/template"
)

// MessageDef is one text a person may read: a stable ID, used as the key of
// the translation catalogs, and its English template (text/template syntax
// over the message data).
type MessageDef struct {
	ID   string
	Text string
}

// Message is a MessageDef with its data, ready to be localized.
type Message struct {
	ID   string
	Text string
	Data map[string]any
}

// Catalog is the messages of one package. Each package whose words a person
// reads has its own, so that a package owns its words: the root's holds the
// domain's messages and the errors the use cases return; each adapter's, the
// words only it shows. English is the text beside the code; the Spanish is
// in the package's locales/es.json, keyed by message ID, which package i18n
// loads and checks against the catalog.
type Catalog struct {
	Spanish fs.FS // holds locales/es.json

	mu   sync.Mutex
	defs map[string]MessageDef
}

// Text defines a message of the catalog. IDs are unique: defining one twice
// panics at init.
func (c *Catalog) Text(id, text string) MessageDef {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, dup := c.defs[id]; dup {
		panic("cambista: message defined twice: " + id)
	}
	if c.defs == nil {
		c.defs = map[string]MessageDef{}
	}
	d := MessageDef{ID: id, Text: text}
	c.defs[id] = d
	return d
}

// All returns every message of the catalog, sorted by ID, so that a test
// can check that each one has a translation.
func (c *Catalog) All() []MessageDef {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]MessageDef, 0, len(c.defs))
	for _, d := range c.defs {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

//go:embed locales
var locales embed.FS

// Messages is the root's catalog.
var Messages = &Catalog{Spanish: locales}

// Msg binds data to the message: key, value, key, value…
func (d MessageDef) Msg(kv ...any) Message {
	m := Message{ID: d.ID, Text: d.Text}
	if len(kv) > 0 {
		m.Data = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m.Data[kv[i].(string)] = kv[i+1]
		}
	}
	return m
}

// String renders the English text with the data as is. Adapters use the i18n
// package instead, which translates and formats amounts for the reader.
func (m Message) String() string {
	t, err := template.New(m.ID).Option("missingkey=zero").Parse(m.Text)
	if err != nil {
		return m.Text
	}
	var b bytes.Buffer
	if err := t.Execute(&b, m.Data); err != nil {
		return m.Text
	}
	return b.String()
}
