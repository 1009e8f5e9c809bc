package discord

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// FuzzInteraction: whatever interaction arrives — a command with options
// of any type, a click, a form, an autocomplete, from a stranger or a
// registered user — Handle answers it with a response Discord can take,
// and never lets a panic out (in gateway mode, that would stop the
// process). The seeds run as a normal test.
func FuzzInteraction(f *testing.F) {
	client := `{"id":"1","user":{"id":"` + string(apptest.Client) + `"},"locale":"es-ES",`
	boot := `{"id":"1","member":{"user":{"id":"` + string(apptest.Boot) + `"}},`
	for _, s := range []string{
		client + `"type":2,"data":{"name":"transfer","options":[{"name":"status","type":1,"options":[{"name":"id","type":3,"value":"7"}]}]}}`,
		client + `"type":2,"data":{"name":"transfer","options":[{"name":"cancel","type":1,"options":[{"name":"id","type":4,"value":7}]}]}}`,
		client + `"type":2,"data":{"name":"quote","options":[{"name":"amount","type":4,"value":100},{"name":"from","type":5,"value":true},{"name":"to","type":10,"value":1.5}]}}`,
		client + `"type":2,"data":{"name":"send","options":[{"name":"amount","type":3,"value":"100"},{"name":"from","type":3,"value":"USD"},{"name":"to","type":3,"value":"VES"}]}}`,
		client + `"type":2,"data":{"name":"batch","options":[{"name":"open","type":2,"options":[{"name":"capital","type":6,"value":"12"}]}]}}`,
		client + `"type":2,"data":{"name":"statement","options":[{"name":"currency","type":4,"value":-1}]}}`,
		client + `"type":2,"data":{"name":"no-such-command"}}`,
		client + `"type":3,"data":{"custom_id":"take:1","component_type":2}}`,
		client + `"type":3,"data":{"custom_id":"usertype","component_type":3,"values":["agent","client"]}}`,
		client + `"type":3,"data":{"custom_id":"country","component_type":3,"values":[]}}`,
		client + `"type":4,"data":{"name":"quote","options":[{"name":"from","type":3,"value":"U","focused":true}]}}`,
		client + `"type":4,"data":{"name":"quote","options":[{"name":"from","type":4,"value":3,"focused":true}]}}`,
		client + `"type":5,"data":{"custom_id":"send:1","components":[{"type":1,"components":[{"type":4,"custom_id":"name","value":"x"}]}]}}`,
		client + `"type":5,"data":{"custom_id":"register","components":[]}}`,
		boot + `"type":2,"data":{"name":"rate","options":[{"name":"set","type":1,"options":[{"name":"from","type":4,"value":1},{"name":"rate","type":5,"value":false}]}]}}`,
		boot + `"type":2,"data":{"name":"config","options":[{"name":"channel","type":1,"options":[{"name":"kind","type":3,"value":"admin"},{"name":"channel","type":3,"value":"x"}]}]}}`,
		boot + `"type":2,"data":{"name":"role","options":[{"name":"assign","type":1,"options":[{"name":"user","type":4,"value":30},{"name":"role","type":3,"value":"agent"}]}]}}`,
		`{"id":"1","type":2,"data":{"name":"balance"}}`,
		`{"id":"1","type":99}`,
	} {
		f.Add(s)
	}
	st := storetest.Open(f, "sqlite", store.Options{})
	e := apptest.Business(f, st)
	s, err := NewSession("Bot fuzz", "http://127.0.0.1:1")
	if err != nil {
		f.Fatal(err)
	}
	b := New(e.Svc, s, Config{AppID: "1", DefaultLang: i18n.EN}, nil)
	f.Fuzz(func(t *testing.T, payload string) {
		var i discordgo.Interaction
		if json.Unmarshal([]byte(payload), &i) != nil || i.Type == discordgo.InteractionPing {
			return
		}
		resp := b.Handle(context.Background(), &i)
		if resp == nil {
			t.Fatal("no response")
		}
		if _, err := json.Marshal(resp); err != nil {
			t.Fatalf("the response cannot be sent: %v", err)
		}
	})
}
