package discord_test

import (
	"context"
	"net/http"
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
		wctx, cancel := context.WithTimeout(context.Background(), time.Minute)
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

// TestStaleMemberUpdate: a member update that Discord sent before the
// app's role change was delivered, and that reaches the bot after it, does
// not undo the change — a role just granted is kept, a role just revoked
// stays revoked and gives no access — and later updates still come back.
// The fake holds member updates back and sends them in the order chosen.
func TestStaleMemberUpdate(t *testing.T) {
	for _, grant := range []bool{true, false} {
		t.Run(map[bool]string{true: "grant", false: "revoke"}[grant], func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, s *store.Store) { staleMemberUpdate(t, s, grant) })
		})
	}
}

func staleMemberUpdate(t *testing.T, s *store.Store, grant bool) {
	w := newWorld(t, s, "gateway")
	e, who := w.e, apptest.Client
	boot := e.As(apptest.Boot)
	apptest.Must(e.Svc.ConfigureRole(boot, "", app.RoleSetting{Role: cambista.RoleCashier, DiscordRoleID: cashierRole}))
	apptest.Must(e.Svc.ConfigureRole(boot, "", app.RoleSetting{Role: cambista.RoleAgent, DiscordRoleID: agentRole}))
	// The member starts in step: without the cashier role to be granted,
	// or with the one to be revoked, in the app and in Discord alike.
	if grant {
		w.fake.AddMember(string(who), "client")
		e.User(who)
	} else {
		w.fake.AddMember(string(who), "client", cashierRole)
		e.User(who, cambista.RoleCashier)
	}
	w.deliver() // changes nothing in Discord, so no update is sent
	hasCashier := func() bool {
		a := apptest.Must(e.Svc.Actor(context.Background(), who, ""))
		return a.Roles.Has(cambista.RoleCashier)
	}

	w.fake.HoldEvents("GUILD_MEMBER_UPDATE")
	// Discord sends an update of the member as they are (a nickname
	// changed, say): #0. Then the app's change is delivered, which makes
	// Discord send #1.
	w.fake.MemberUpdate(string(who), w.fake.MemberRoles(string(who)))
	change := app.RoleChange{UserID: who, Role: cambista.RoleCashier}
	if grant {
		apptest.Must(e.Svc.AssignRole(boot, "", change))
	} else {
		apptest.Must(e.Svc.RemoveRole(boot, "", change))
	}
	w.deliver()
	if held := w.fake.HeldEvents(); len(held) != 2 {
		t.Fatalf("held events %v, want the update before the change and the one after", held)
	}
	if got := slices.Contains(w.fake.MemberRoles(string(who)), cashierRole); got != grant {
		t.Fatalf("Discord's cashier role %v after delivery, want %v", got, grant)
	}
	audited := apptest.Must(app.VerifyAudit(context.Background(), s))

	// #0 reaches the bot now, after the change was delivered. The bot
	// reads the member from Discord (it disagrees with the app) or, before
	// the fix, undid the change.
	member := "/guilds/" + discordtest.GuildID + "/members/" + string(who)
	reads := func() int { return len(w.fake.CallsTo("GET", member)) }
	w.fake.SendHeld(0)
	wctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := w.fake.Wait(wctx, func() bool { return reads() > 0 || hasCashier() != grant }); err != nil {
		t.Fatal("the bot neither read the member nor changed the app after the stale update")
	}
	if hasCashier() != grant {
		t.Fatalf("the stale update undid the change: app cashier role %v, want %v", !grant, grant)
	}

	// Then #1, and a real change in Discord (#2: the agent role given).
	// A member's updates are handled in order, so once #2 is back in
	// the app, #0 and #1 were handled.
	w.fake.MemberUpdate(string(who), append(w.fake.MemberRoles(string(who)), agentRole))
	w.fake.SendHeld(1, 2)
	err := w.fake.Wait(wctx, func() bool {
		a := apptest.Must(e.Svc.Actor(context.Background(), who, ""))
		return a.Roles.Has(cambista.RoleAgent)
	})
	if err != nil {
		t.Fatal("the agent role given in Discord did not reach the app")
	}
	if hasCashier() != grant {
		t.Fatalf("app cashier role %v after the later updates, want %v", !grant, grant)
	}
	_, err = e.Svc.OpenBatch(e.As(who), "", app.OpenBatch{Base: "USD", Quote: "VES", Capital: "100", CostRate: "41"})
	if forbidden := cambista.ErrorCode(err) == cambista.EFORBIDDEN; forbidden == grant {
		t.Fatalf("opening a batch: %v; want it allowed by the role: %v", err, grant)
	}
	if after := apptest.Must(app.VerifyAudit(context.Background(), s)); after != audited+1 {
		t.Fatalf("%d audit events after the change, want 1 (the agent role)", after-audited)
	}
}

// TestMemberUpdatesOneAtATime: a member's updates are handled one at a
// time in the gateway's order, the newest waiting one replacing older
// ones. Three changes are made in Discord, then their three updates
// arrive while the first one's read of the member is held: the read
// answers the last change's roles, the second update is replaced by the
// third, which is handled after the first brought those roles back,
// agrees with them and reads nothing. Handled side by side, the second
// and third would each read the member, since each disagreed with the app
// when it was handled; handled in turn without replacing, the second
// would.
func TestMemberUpdatesOneAtATime(t *testing.T) {
	s := storetest.Open(t, "sqlite", store.Options{})
	w := newWorld(t, s, "gateway")
	e, who := w.e, apptest.Client
	boot := e.As(apptest.Boot)
	apptest.Must(e.Svc.ConfigureRole(boot, "", app.RoleSetting{Role: cambista.RoleCashier, DiscordRoleID: cashierRole}))
	apptest.Must(e.Svc.ConfigureRole(boot, "", app.RoleSetting{Role: cambista.RoleAgent, DiscordRoleID: agentRole}))
	w.member(apptest.Boot, discordgo.EnglishUS)
	w.member(who, discordgo.EnglishUS)
	e.User(who)
	w.deliver()

	member := "/guilds/" + discordtest.GuildID + "/members/" + string(who)
	release := w.fake.Hold("GET", member)
	defer release()
	// Roles given and taken in Discord, three changes in a row; each
	// update disagrees with the app, so each would read the member. The
	// updates are held until all three changes are made: Discord answers
	// a read with the roles it has when the read arrives, so a read that
	// arrived between the changes would answer older roles, and the third
	// update, disagreeing with those, would rightly read again.
	w.fake.HoldEvents("GUILD_MEMBER_UPDATE")
	for _, roles := range [][]string{{agentRole}, {agentRole, cashierRole}, {cashierRole}} {
		w.fake.MemberUpdate(string(who), roles)
	}
	w.fake.SendHeld(0, 1, 2)
	wctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := w.fake.Wait(wctx, func() bool { return w.fake.Held() == 1 }); err != nil {
		t.Fatal("the first update did not read the member")
	}
	// An interaction sent after the updates is handed over after them,
	// so once it is answered the bot has all three.
	w.cmd(apptest.Boot, "rate", subcmd("list"))
	release()
	err := w.fake.Wait(wctx, func() bool {
		a := apptest.Must(e.Svc.Actor(context.Background(), who, ""))
		return a.Roles.Has(cambista.RoleCashier) && !a.Roles.Has(cambista.RoleAgent)
	})
	if err != nil {
		a := apptest.Must(e.Svc.Actor(context.Background(), who, ""))
		t.Fatalf("app roles %v, want cashier without agent as in Discord", a.Roles.List())
	}
	if err := w.bot.Shutdown(wctx); err != nil { // waits for the updates in flight
		t.Fatal(err)
	}
	// Reads the fake refused (a 429 of its rate limits) are tried again:
	// only those answered count.
	reads := 0
	for _, c := range w.fake.CallsTo("GET", member) {
		if c.Status == http.StatusOK {
			reads++
		}
	}
	if reads != 1 {
		t.Fatalf("%d reads of the member answered, want 1: %+v", reads, w.fake.CallsTo("GET", member))
	}
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

// TestReconcileThenStaleUpdate: after reconcile took away a Discord role the
// app does not give, an update Discord sent before it, handled after it,
// does not bring the role into the app.
func TestReconcileThenStaleUpdate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newWorld(t, s, "gateway")
		e, who := w.e, apptest.Client
		boot := e.As(apptest.Boot)
		apptest.Must(e.Svc.ConfigureRole(boot, "", app.RoleSetting{Role: cambista.RoleAgent, DiscordRoleID: agentRole}))
		w.member(apptest.Boot, discordgo.EnglishUS)
		w.fake.AddMember(string(who), "client", agentRole) // a role the app does not give
		e.User(who)
		w.deliver()
		audited := apptest.Must(app.VerifyAudit(context.Background(), s))

		w.fake.HoldEvents("GUILD_MEMBER_UPDATE")
		w.fake.MemberUpdate(string(who), w.fake.MemberRoles(string(who))) // #0, before reconcile
		drift := apptest.Must(w.bot.Reconcile(context.Background()))
		if len(drift) != 1 || drift[0].UserID != who || drift[0].Add {
			t.Fatalf("drift %+v, want the client's agent role removed", drift)
		}
		w.fake.SendHeld(0)
		// An interaction sent after #0 is handed over after it; Shutdown
		// then waits for #0 to be handled.
		w.cmd(apptest.Boot, "rate", subcmd("list"))
		wctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := w.bot.Shutdown(wctx); err != nil {
			t.Fatal(err)
		}
		if a := apptest.Must(e.Svc.Actor(context.Background(), who, "")); a.Roles.Has(cambista.RoleAgent) {
			t.Fatal("the update from before reconcile gave the client the agent role")
		}
		if got := w.fake.MemberRoles(string(who)); slices.Contains(got, agentRole) {
			t.Fatalf("client's Discord roles %v after reconcile", got)
		}
		if after := apptest.Must(app.VerifyAudit(context.Background(), s)); after != audited {
			t.Fatalf("%d audit events, want none", after-audited)
		}
	})
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
		wctx, cancel := context.WithTimeout(context.Background(), time.Minute)
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
