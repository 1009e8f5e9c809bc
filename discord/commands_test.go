package discord

import (
	"regexp"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

var discordName = regexp.MustCompile(`^[-_\p{Ll}\p{N}]{1,32}$`)

// TestCommandDefinitions checks what Discord would refuse at registration:
// names, description lengths, both languages, option order.
func TestCommandDefinitions(t *testing.T) {
	defs := commandDefinitions()
	if len(defs) != len(commandTable) {
		t.Fatalf("%d definitions for %d commands", len(defs), len(commandTable))
	}
	seen := map[string]bool{}
	var checkOptions func(path string, opts []*discordgo.ApplicationCommandOption)
	checkName := func(path, name, desc string, names, descs map[discordgo.Locale]string) {
		if !discordName.MatchString(name) {
			t.Errorf("%s: name %q is not a valid Discord name", path, name)
		}
		if n := utf8.RuneCountInString(desc); n < 1 || n > 100 {
			t.Errorf("%s: description has %d characters", path, n)
		}
		for _, loc := range []discordgo.Locale{discordgo.SpanishES, discordgo.SpanishLATAM} {
			if !discordName.MatchString(names[loc]) {
				t.Errorf("%s: %s name %q is not valid", path, loc, names[loc])
			}
			if n := utf8.RuneCountInString(descs[loc]); n < 1 || n > 100 {
				t.Errorf("%s: %s description has %d characters", path, loc, n)
			}
		}
	}
	checkOptions = func(path string, opts []*discordgo.ApplicationCommandOption) {
		optional := false
		names := map[string]bool{}
		for _, o := range opts {
			p := path + " " + o.Name
			checkName(p, o.Name, o.Description, o.NameLocalizations, o.DescriptionLocalizations)
			if names[o.Name] {
				t.Errorf("%s: option named twice", p)
			}
			names[o.Name] = true
			if o.Required && optional {
				t.Errorf("%s: a required option after an optional one", p)
			}
			optional = optional || !o.Required
			checkOptions(p, o.Options)
		}
	}
	for _, d := range defs {
		if seen[d.Name] {
			t.Errorf("command %s defined twice", d.Name)
		}
		seen[d.Name] = true
		checkName("/"+d.Name, d.Name, d.Description, *d.NameLocalizations, *d.DescriptionLocalizations)
		checkOptions("/"+d.Name, d.Options)
	}
	for _, name := range []string{"register", "roles", "account", "quote", "send", "transfer", "batch", "balance",
		"statement", "withdraw", "rate", "currency", "country", "rule", "config", "role"} {
		if !seen[name] {
			t.Errorf("command /%s is missing", name)
		}
	}
}

// TestEveryCommandHasAHandler: each leaf of the table runs something.
func TestEveryCommandHasAHandler(t *testing.T) {
	for _, c := range commandTable {
		if (c.run == nil) == (len(c.subs) == 0) {
			t.Errorf("/%s: a command has a handler or subcommands, not both or neither", c.name.Text)
		}
		for _, s := range c.subs {
			if s.run == nil {
				t.Errorf("/%s %s has no handler", c.name.Text, s.name.Text)
			}
		}
	}
}
