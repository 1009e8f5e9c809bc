package discordtest_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/cambista/cambista/discord/discordtest"
)

// TestThreads: a message starts one thread, whose ID is the message's; a
// second start is Discord's code 160004; a thread takes messages.
func TestThreads(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	dg := MustSession(t, fake)
	card, err := dg.ChannelMessageSend("707", "card")
	if err != nil {
		t.Fatal(err)
	}
	th, err := dg.MessageThreadStartComplex("707", card.ID, &discordgo.ThreadStart{Name: "Dispute 1"})
	if err != nil || th.ID != card.ID || th.ParentID != "707" || th.Type != discordgo.ChannelTypeGuildPublicThread {
		t.Fatalf("thread %+v %v", th, err)
	}
	_, err = dg.MessageThreadStartComplex("707", card.ID, &discordgo.ThreadStart{Name: "again"})
	var rest *discordgo.RESTError
	if !errors.As(err, &rest) || rest.Message == nil || rest.Message.Code != 160004 {
		t.Fatalf("a second thread: %v", err)
	}
	if _, err := dg.MessageThreadStartComplex("707", "404", &discordgo.ThreadStart{Name: "x"}); err == nil {
		t.Fatal("a thread on no message")
	}
	if _, err := dg.ChannelMessageSend(th.ID, "in it"); err != nil {
		t.Fatal(err)
	}
	if got := fake.Threads("707"); len(got) != 1 || got[0].Name != "Dispute 1" || len(fake.Messages(th.ID)) != 1 {
		t.Fatalf("threads %+v", got)
	}
}

// TestUpload: a person's upload is served at its URL, as the CDN serves it.
func TestUpload(t *testing.T) {
	t.Parallel()
	fake := discordtest.New(t)
	data := []byte("%PDF-1.4 receipt")
	a := fake.Upload("receipt.pdf", "application/pdf", data)
	if a.Size != len(data) || a.Filename != "receipt.pdf" {
		t.Fatalf("attachment %+v", a)
	}
	resp, err := http.Get(a.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if got, _ := io.ReadAll(resp.Body); !bytes.Equal(got, data) || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("served %q as %q", got, resp.Header.Get("Content-Type"))
	}
}
