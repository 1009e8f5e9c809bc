package discord_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/cambista/cambista"
	"github.com/cambista/cambista/app"
	"github.com/cambista/cambista/app/apptest"
	"github.com/cambista/cambista/discord"
	"github.com/cambista/cambista/discord/discordtest"
	"github.com/cambista/cambista/i18n"
	"github.com/cambista/cambista/store"
	"github.com/cambista/cambista/store/storetest"
)

// TestRolesFromDiscord: a role given in Discord comes back to the app with
// an audit event; superuser never does.
func TestRolesFromDiscord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, "gateway")
		e := w.e
		w.member(apptest.Client, discordgo.EnglishUS)
		e.User(apptest.Client)
		ctx := e.As(apptest.Boot)
		apptest.Must(e.Svc.ConfigureRole(ctx, "", app.RoleSetting{Role: cambista.RoleCashier, DiscordRoleID: cashierRole}))
		apptest.Must(e.Svc.ConfigureRole(ctx, "", app.RoleSetting{Role: cambista.RoleSuperuser, DiscordRoleID: "6099"}))
		w.deliver()
		before := apptest.Must(app.VerifyAudit(context.Background(), s))
		w.fake.MemberUpdate(string(apptest.Client), []string{cashierRole, "6099"})
		wctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := w.fake.Wait(wctx, func() bool {
			a, _ := e.Svc.Actor(context.Background(), apptest.Client, "")
			return a.Roles.Has(cambista.RoleCashier)
		})
		if err != nil {
			t.Fatal("the cashier role given in Discord did not reach the app")
		}
		a := apptest.Must(e.Svc.Actor(context.Background(), apptest.Client, ""))
		if a.Roles.Has(cambista.RoleSuperuser) {
			t.Fatal("a superuser role given in Discord reached the app")
		}
		if after := apptest.Must(app.VerifyAudit(context.Background(), s)); after != before+1 {
			t.Fatalf("%d audit events for the sync, want 1", after-before)
		}
	})
}

// TestReconcile: the app is the source of truth; drift in Discord is fixed.
func TestReconcile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fake := discordtest.New(t)
		e := apptest.Business(t, s)
		ctx := e.As(apptest.Boot)
		apptest.Must(e.Svc.ConfigureRole(ctx, "", app.RoleSetting{Role: cambista.RoleCashier, DiscordRoleID: cashierRole}))
		apptest.Must(e.Svc.ConfigureRole(ctx, "", app.RoleSetting{Role: cambista.RoleAgent, DiscordRoleID: agentRole}))
		fake.AddRole(cashierRole, "Cajero")
		fake.AddRole(agentRole, "Agente")
		fake.AddRole("42", "Fans")
		fake.AddMember(string(apptest.Cashier), "cashier")              // lacks the cashier role
		fake.AddMember(string(apptest.Client), "client", agentRole)     // has a role the app does not give
		fake.AddMember(string(apptest.Agent), "agent", agentRole, "42") // right, plus an unmapped role
		dg := apptest.Must(discord.NewSession(discordtest.Token, fake.APIURL()))
		bot := discord.New(e.Svc, dg, discord.Config{AppID: discordtest.AppID, GuildID: discordtest.GuildID, DefaultLang: i18n.ES}, nil)
		drift := apptest.Must(bot.Reconcile(context.Background()))
		if len(drift) != 2 {
			t.Fatalf("drift %+v, want two fixes", drift)
		}
		if got := fake.MemberRoles(string(apptest.Cashier)); !slices.Contains(got, cashierRole) {
			t.Fatalf("cashier %v", got)
		}
		if got := fake.MemberRoles(string(apptest.Client)); slices.Contains(got, agentRole) {
			t.Fatalf("client %v", got)
		}
		if got := fake.MemberRoles(string(apptest.Agent)); !slices.Contains(got, "42") || !slices.Contains(got, agentRole) {
			t.Fatalf("agent %v", got)
		}
		if again := apptest.Must(bot.Reconcile(context.Background())); len(again) != 0 {
			t.Fatalf("a second reconcile fixed %+v", again)
		}
	})
}

// TestAutocomplete offers the enabled codes as the person types, to a
// client and to someone who has not registered alike.
func TestAutocomplete(t *testing.T) {
	s := storetest.Open(t, "sqlite", store.Options{})
	w := newWorld(t, s, "gateway")
	e := apptest.Business(t, s)
	ctx := e.As(apptest.Boot)
	apptest.Must(e.Svc.AddCurrency(ctx, "", app.AddCurrency{Code: "VEF", Exponent: 2, Name: "Bolívar fuerte"}))
	apptest.Must(e.Svc.SetCurrencyEnabled(ctx, "", app.Toggle{Code: "VEF"}))
	const stranger = cambista.UserID("77")
	for _, who := range []cambista.UserID{apptest.Client, stranger} {
		w.member(who, discordgo.SpanishES)
		for option, want := range map[string]string{"to": "VES", "to_country": "VE"} {
			i := &discordgo.Interaction{Type: discordgo.InteractionApplicationCommandAutocomplete, ChannelID: generalChannel,
				Data: discordgo.ApplicationCommandInteractionData{Name: "quote", Options: []*discordgo.ApplicationCommandInteractionDataOption{
					{Name: "amount", Type: discordgo.ApplicationCommandOptionString, Value: "100"},
					{Name: option, Type: discordgo.ApplicationCommandOptionString, Value: "ve", Focused: true},
				}}}
			i.Member = &discordgo.Member{User: &discordgo.User{ID: string(who)}}
			r := w.answer(w.fake.SendInteraction(i))
			if r.Type != discordgo.InteractionApplicationCommandAutocompleteResult || len(r.Data.Choices) != 1 || r.Data.Choices[0].Value != want {
				t.Fatalf("%s typing in %s: autocomplete %+v, want only %s", who, option, r.Data, want)
			}
		}
	}
}

// TestDiscordName: registration keeps the member's name on Discord, and a
// member update that renames them refreshes it.
func TestDiscordName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, "gateway")
		w.member(apptest.Client, discordgo.SpanishES)
		w.submit(apptest.Client, "register", map[string]string{"name": "Carlos"})
		u := apptest.Must(w.e.Svc.User(w.e.As(apptest.Client), apptest.Client))
		if u.DisplayName != "Carlos" || u.DiscordName != "user"+string(apptest.Client) || u.Name() != u.DiscordName {
			t.Fatalf("registered as %q, Discord name %q, shown as %q", u.DisplayName, u.DiscordName, u.Name())
		}
		w.fake.RenameMember(string(apptest.Client), "Carlos el Cambista")
		w.fake.MemberUpdate(string(apptest.Client), nil)
		wctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := w.fake.Wait(wctx, func() bool {
			u, err := w.e.Svc.User(w.e.As(apptest.Client), apptest.Client)
			return err == nil && u.DiscordName == "Carlos el Cambista"
		})
		if err != nil {
			t.Fatal("the new nickname did not reach the app")
		}
	})
}
