package cambista

import (
	"bytes"
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

var (
	catalogMu sync.Mutex
	catalog   = map[string]MessageDef{}
)

// Text defines a message. IDs are unique: defining one twice panics at init.
func Text(id, text string) MessageDef {
	catalogMu.Lock()
	defer catalogMu.Unlock()
	if _, dup := catalog[id]; dup {
		panic("cambista: message defined twice: " + id)
	}
	d := MessageDef{ID: id, Text: text}
	catalog[id] = d
	return d
}

// Messages returns every defined message, sorted by ID, so that a test can
// check that each one has a translation.
func Messages() []MessageDef {
	catalogMu.Lock()
	defer catalogMu.Unlock()
	out := make([]MessageDef, 0, len(catalog))
	for _, d := range catalog {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

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
