package wire_test

import (
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista/discord/wire"
)

func sendCommand() *discordgo.ApplicationCommand {
	minLen := 2
	return &discordgo.ApplicationCommand{ID: "1", Name: "send", Options: []*discordgo.ApplicationCommandOption{
		{Type: discordgo.ApplicationCommandOptionString, Name: "amount", Required: true, MinLength: &minLen, MaxLength: 10},
		{Type: discordgo.ApplicationCommandOptionString, Name: "kind", Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "a", Value: "admin"}}},
		{Type: discordgo.ApplicationCommandOptionInteger, Name: "id"},
		{Type: discordgo.ApplicationCommandOptionChannel, Name: "channel"},
	}}
}

func TestCommandData(t *testing.T) {
	exists := func(_ discordgo.ApplicationCommandOptionType, id string) bool { return id == "42" }
	t.Run("OK", func(t *testing.T) {
		d, err := wire.CommandData(sendCommand(), wire.Invocation{Path: []string{"send"},
			Options: map[string]string{"amount": "100", "kind": "admin", "id": "7", "channel": "42"}}, exists)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Options) != 4 || d.Options[2].IntValue() != 7 || d.Options[0].StringValue() != "100" {
			t.Fatalf("options: %+v", d.Options)
		}
	})
	for name, in := range map[string]map[string]string{
		"ErrRequired":  {"kind": "admin"},
		"ErrTooShort":  {"amount": "1"},
		"ErrTooLong":   {"amount": "12345678901"},
		"ErrChoice":    {"amount": "100", "kind": "nobody"},
		"ErrInteger":   {"amount": "100", "id": "7.5"},
		"ErrChannel":   {"amount": "100", "channel": "43"},
		"ErrUnknownOp": {"amount": "100", "colour": "red"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := wire.CommandData(sendCommand(), wire.Invocation{Path: []string{"send"}, Options: in}, exists); err == nil {
				t.Fatalf("%v accepted", in)
			}
		})
	}
	t.Run("Focused", func(t *testing.T) {
		d, err := wire.CommandData(sendCommand(), wire.Invocation{Path: []string{"send"}, Options: map[string]string{"kind": "ad"}, Focused: "kind"}, exists)
		if err != nil || len(d.Options) != 1 || !d.Options[0].Focused || d.Options[0].StringValue() != "ad" {
			t.Fatalf("%+v %v", d.Options, err)
		}
	})
	t.Run("ErrSubcommandMissing", func(t *testing.T) {
		c := &discordgo.ApplicationCommand{Name: "batch", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "open"}}}
		if _, err := wire.CommandData(c, wire.Invocation{Path: []string{"batch"}}, exists); err == nil {
			t.Fatal("accepted without a subcommand")
		}
		d, err := wire.CommandData(c, wire.Invocation{Path: []string{"batch", "open"}}, exists)
		if err != nil || d.Options[0].Name != "open" {
			t.Fatalf("%+v %v", d, err)
		}
	})
}

func TestModalSubmitData(t *testing.T) {
	modal := &discordgo.InteractionResponseData{CustomID: "done:1", Components: []discordgo.MessageComponent{
		&discordgo.ActionsRow{Components: []discordgo.MessageComponent{&discordgo.TextInput{CustomID: "reference", Required: true, MaxLength: 5}}},
		&discordgo.ActionsRow{Components: []discordgo.MessageComponent{&discordgo.TextInput{CustomID: "proof", MinLength: 3}}},
	}}
	if d, err := wire.ModalSubmitData(modal, map[string]string{"reference": "abc"}); err != nil || len(d.Components) != 2 {
		t.Fatalf("OK: %+v %v", d, err)
	}
	for name, in := range map[string]map[string]string{
		"ErrRequired": {"reference": " "},
		"ErrTooLong":  {"reference": "abcdef"},
		"ErrTooShort": {"reference": "a", "proof": "ab"},
		"ErrUnknown":  {"reference": "a", "other": "x"},
	} {
		if _, err := wire.ModalSubmitData(modal, in); err == nil {
			t.Errorf("%s: %v accepted", name, in)
		}
	}
}
