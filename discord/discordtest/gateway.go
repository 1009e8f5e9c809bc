package discordtest

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Gateway opcodes, from Discord's documentation.
const (
	OpDispatch       = 0
	OpHeartbeat      = 1
	OpIdentify       = 2
	OpResume         = 6
	OpReconnect      = 7
	OpInvalidSession = 9
	OpHello          = 10
	OpHeartbeatACK   = 11
)

// Frame is one gateway payload the fake received from a client.
type Frame struct {
	Op   int
	Data json.RawMessage
	Time time.Time
}

// frame is a payload the fake sends.
type frame struct {
	Op   int    `json:"op"`
	Data any    `json:"d"`
	Seq  int64  `json:"s,omitempty"`
	Type string `json:"t,omitempty"`
}

type gateway struct {
	closed   bool
	conns    map[*gwConn]bool
	sessions map[string]*gwSession
	order    []*gwSession // sessions in the order they identified
	pending  []dispatch   // dispatched before any session identified
	received []Frame
	hold     []string // event types held back (HoldEvents)
	held     []heldEvent
	mostLive int // the most connections with a session at one time
}

// heldEvent is an event HoldEvents kept from being sent.
type heldEvent struct {
	event   string
	data    any
	members bool // for sessions with the guild members intent only
	sent    bool
}

func (g *gateway) init() {
	g.conns = make(map[*gwConn]bool)
	g.sessions = make(map[string]*gwSession)
}

type dispatch struct {
	event string
	data  json.RawMessage
}

// gwSession is a gateway session: it outlives connections, so that a
// client that reconnects can RESUME and get what it missed.
type gwSession struct {
	id       string
	compress bool
	intents  discordgo.Intent
	seq      int64
	log      []frame // every dispatch sent, for RESUME to replay
	conn     *gwConn // nil while disconnected
}

type gwConn struct {
	ws    *websocket.Conn
	wmu   sync.Mutex // gorilla allows one writer at a time
	sess  *gwSession
	beats int // heartbeats received on this connection
}

func (c *gwConn) write(f frame, compress bool) error {
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	mt := websocket.TextMessage
	if compress {
		// discordgo inflates each binary message on its own, which is
		// Discord's payload compression (compress: true in IDENTIFY),
		// not the zlib-stream transport compression it cannot read.
		var buf bytes.Buffer
		z := zlib.NewWriter(&buf)
		z.Write(b)
		z.Close()
		b, mt = buf.Bytes(), websocket.BinaryMessage
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	// A client that stopped reading must not block the fake for long.
	c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteMessage(mt, b)
}

// closeWith sends a close frame with a Discord close code, then closes.
func (c *gwConn) closeWith(code int, text string) {
	c.wmu.Lock()
	c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
	c.wmu.Unlock()
	c.ws.Close()
}

func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("encoding") != "" && q.Get("encoding") != "json" {
		http.Error(w, "the fake speaks JSON only", http.StatusBadRequest)
		return
	}
	if q.Get("compress") != "" {
		// zlib-stream: discordgo never asks for it and cannot read it.
		http.Error(w, "the fake does not support transport compression", http.StatusBadRequest)
		return
	}
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gwConn{ws: ws}
	s.gmu.Lock()
	if s.gw.closed {
		s.gmu.Unlock()
		ws.Close()
		return
	}
	s.gw.conns[c] = true
	s.wg.Add(1)
	s.gmu.Unlock()
	defer s.wg.Done()
	defer s.dropConn(c)

	if err := c.write(frame{Op: OpHello, Data: map[string]any{"heartbeat_interval": s.heartbeat.Milliseconds()}}, false); err != nil {
		return
	}
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			// A client that closes with 1000 or 1001 ends its session
			// on Discord: a later RESUME gets op 9. discordgo's Close
			// sends 1000; its reconnects after errors send nothing
			// or 1012 (op 7), and those sessions stay resumable.
			var ce *websocket.CloseError
			if errors.As(err, &ce) && (ce.Code == websocket.CloseNormalClosure || ce.Code == websocket.CloseGoingAway) {
				s.endSession(c)
			}
			return
		}
		var in struct {
			Op   int             `json:"op"`
			Data json.RawMessage `json:"d"`
		}
		if err := json.Unmarshal(msg, &in); err != nil {
			c.closeWith(4002, "Error while decoding payload.")
			return
		}
		s.gmu.Lock()
		s.gw.received = append(s.gw.received, Frame{Op: in.Op, Data: in.Data, Time: time.Now()})
		if in.Op == OpHeartbeat {
			c.beats++
		}
		s.gmu.Unlock()
		s.notify()
		switch in.Op {
		case OpHeartbeat:
			if c.write(frame{Op: OpHeartbeatACK}, false) != nil {
				return
			}
		case OpIdentify:
			if !s.identify(c, in.Data) {
				return
			}
		case OpResume:
			if !s.resume(c, in.Data) {
				return
			}
		}
	}
}

// endSession forgets the connection's session.
func (s *Server) endSession(c *gwConn) {
	s.gmu.Lock()
	defer s.gmu.Unlock()
	if c.sess == nil {
		return
	}
	delete(s.gw.sessions, c.sess.id)
	s.gw.order = slices.DeleteFunc(s.gw.order, func(x *gwSession) bool { return x == c.sess })
}

// dropConn forgets a connection whose reader has ended.
func (s *Server) dropConn(c *gwConn) {
	s.gmu.Lock()
	delete(s.gw.conns, c)
	if c.sess != nil && c.sess.conn == c {
		c.sess.conn = nil
	}
	s.gmu.Unlock()
	c.ws.Close()
	s.notify()
}

func (s *Server) identify(c *gwConn, d json.RawMessage) bool {
	// Only the fields the fake uses: discordgo's own Identify does not
	// decode what discordgo sends (its presence.game.created_at).
	var id struct {
		Token    string           `json:"token"`
		Compress bool             `json:"compress"`
		Intents  discordgo.Intent `json:"intents"`
	}
	if err := json.Unmarshal(d, &id); err != nil {
		c.closeWith(4002, "Error while decoding payload.")
		return false
	}
	if strings.TrimPrefix(id.Token, "Bot ") != s.token {
		c.closeWith(4004, "Authentication failed.")
		return false
	}
	s.gmu.Lock()
	defer s.gmu.Unlock()
	if c.sess != nil {
		c.closeWith(4005, "Already authenticated.")
		return false
	}
	sess := &gwSession{id: randomHex(16), compress: id.Compress, intents: id.Intents}
	s.gw.sessions[sess.id] = sess
	s.gw.order = append(s.gw.order, sess)
	ready := map[string]any{
		"v":                  9,
		"session_id":         sess.id,
		"resume_gateway_url": s.GatewayURL(),
		"user":               botUser(),
		"guilds":             []map[string]any{{"id": GuildID, "unavailable": true}},
		"private_channels":   []any{},
		"application":        map[string]any{"id": AppID, "flags": 0},
		"shard":              [2]int{0, 1},
	}
	if err := s.sendLocked(sess, c, "READY", ready); err != nil {
		return false
	}
	// Discord follows READY with the guilds it listed as unavailable;
	// discordgo's state learns the guild, its roles and members from it.
	if err := s.sendLocked(sess, c, "GUILD_CREATE", s.guildCreate()); err != nil {
		return false
	}
	pending := s.gw.pending
	s.gw.pending = nil
	for _, p := range pending {
		if err := s.sendLocked(sess, c, p.event, p.data); err != nil {
			return false
		}
	}
	s.attachLocked(sess, c)
	return true
}

func (s *Server) resume(c *gwConn, d json.RawMessage) bool {
	var r struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if err := json.Unmarshal(d, &r); err != nil {
		c.closeWith(4002, "Error while decoding payload.")
		return false
	}
	if strings.TrimPrefix(r.Token, "Bot ") != s.token {
		c.closeWith(4004, "Authentication failed.")
		return false
	}
	s.gmu.Lock()
	defer s.gmu.Unlock()
	sess := s.gw.sessions[r.SessionID]
	if sess == nil {
		// Not resumable: the client must identify anew on this
		// connection (discordgo does so when it reads op 9).
		return c.write(frame{Op: OpInvalidSession, Data: false}, false) == nil
	}
	if old := sess.conn; old != nil && old != c {
		// Discord ends the old connection of a resumed session.
		old.ws.Close()
	}
	for _, f := range sess.log {
		if f.Seq > r.Seq {
			if c.write(f, sess.compress) != nil {
				return false
			}
		}
	}
	if err := s.sendLocked(sess, c, "RESUMED", map[string]any{}); err != nil {
		return false
	}
	s.attachLocked(sess, c)
	return true
}

func (s *Server) attachLocked(sess *gwSession, c *gwConn) {
	sess.conn = c
	c.sess = sess
	live := 0
	for x := range s.gw.conns {
		if x.sess != nil && x.sess.conn == x {
			live++
		}
	}
	s.gw.mostLive = max(s.gw.mostLive, live)
	s.notify()
}

// MostLive is the most gateway connections that had a session (identified
// or resumed) at one time: 2 once two clients held sessions at once, such
// as two processes of one bot each answering every interaction.
func (s *Server) MostLive() int {
	s.gmu.Lock()
	defer s.gmu.Unlock()
	return s.gw.mostLive
}

// sendLocked numbers a dispatch, logs it for RESUME and writes it to c
// when c is not nil. Sequence numbers matter to discordgo: it stores the
// s of every dispatch (RESUMED included) and resumes from it.
func (s *Server) sendLocked(sess *gwSession, c *gwConn, event string, data any) error {
	sess.seq++
	f := frame{Op: OpDispatch, Seq: sess.seq, Type: event, Data: data}
	sess.log = append(sess.log, f)
	if c == nil {
		return nil
	}
	err := c.write(f, sess.compress)
	if err != nil {
		// The reader sees the broken connection and drops it; the
		// dispatch stays in the log for RESUME.
		c.ws.Close()
	}
	return err
}

// Dispatch sends the event to every gateway session, to be replayed by
// RESUME to a session that is disconnected, or to the first session to
// identify if none has. data is marshalled to JSON as it is.
func (s *Server) Dispatch(event string, data any) {
	b, err := json.Marshal(data)
	if err != nil {
		panic("discordtest: dispatch " + event + ": " + err.Error())
	}
	s.gmu.Lock()
	defer s.gmu.Unlock()
	if s.holdLocked(event, json.RawMessage(b), false) {
		return
	}
	s.dispatchLocked(event, b)
}

func (s *Server) dispatchLocked(event string, b json.RawMessage) {
	if len(s.gw.order) == 0 {
		s.gw.pending = append(s.gw.pending, dispatch{event: event, data: b})
		return
	}
	for _, sess := range s.gw.order {
		s.sendLocked(sess, sess.conn, event, b)
	}
}

// dispatchMembers sends a member event to sessions with the guild
// members intent, as Discord does.
func (s *Server) dispatchMembers(event string, data any) {
	s.gmu.Lock()
	defer s.gmu.Unlock()
	if !s.holdLocked(event, data, true) {
		s.dispatchMembersLocked(event, data)
	}
}

func (s *Server) dispatchMembersLocked(event string, data any) {
	for _, sess := range s.gw.order {
		if sess.intents&discordgo.IntentsGuildMembers != 0 {
			s.sendLocked(sess, sess.conn, event, data)
		}
	}
}

// holdLocked keeps the event back if HoldEvents holds its type.
func (s *Server) holdLocked(event string, data any, members bool) bool {
	if !slices.Contains(s.gw.hold, event) {
		return false
	}
	s.gw.held = append(s.gw.held, heldEvent{event: event, data: data, members: members})
	s.notify()
	return true
}

// HoldEvents keeps the gateway events of the given types (such as
// GUILD_MEMBER_UPDATE) from being sent from now on: each waits, numbered
// from 0 in the order Discord produced them, until SendHeld sends it. A
// test so delivers events late or in an order of its choosing, as a slow
// connection or another process would see them.
func (s *Server) HoldEvents(types ...string) {
	s.gmu.Lock()
	defer s.gmu.Unlock()
	s.gw.hold = append(s.gw.hold, types...)
}

// HeldEvents returns the types of the events held so far, by number.
func (s *Server) HeldEvents() []string {
	s.gmu.Lock()
	defer s.gmu.Unlock()
	out := make([]string, len(s.gw.held))
	for i, h := range s.gw.held {
		out[i] = h.event
	}
	return out
}

// SendHeld sends the held events with the given numbers, in the order
// given. Each event is sent once; sending one again, or a number not held,
// panics. Events of the held types produced later are held too.
func (s *Server) SendHeld(numbers ...int) {
	s.gmu.Lock()
	defer s.gmu.Unlock()
	for _, n := range numbers {
		if n < 0 || n >= len(s.gw.held) || s.gw.held[n].sent {
			panic("discordtest: SendHeld: no held event " + strconv.Itoa(n) + " left to send")
		}
		h := &s.gw.held[n]
		h.sent = true
		if h.members {
			s.dispatchMembersLocked(h.event, h.data)
		} else {
			s.dispatchLocked(h.event, h.data.(json.RawMessage))
		}
	}
}

// DropGateway closes every gateway connection abruptly, without a close
// frame, as a network failure would. Sessions stay resumable, so
// discordgo reconnects and RESUMEs; wait for it with WaitReady before the
// test ends.
func (s *Server) DropGateway() {
	s.gmu.Lock()
	defer s.gmu.Unlock()
	for c := range s.gw.conns {
		if c.sess != nil && c.sess.conn == c {
			c.sess.conn = nil
		}
		c.sess = nil
		c.ws.Close()
	}
	s.notify()
}

// RequestReconnect sends op 7 Reconnect on every connection: discordgo
// closes the connection and resumes on a new one.
func (s *Server) RequestReconnect() {
	s.gmu.Lock()
	defer s.gmu.Unlock()
	for c := range s.gw.conns {
		if c.sess != nil {
			c.write(frame{Op: OpReconnect}, false)
		}
	}
}

// InvalidateSessions forgets every gateway session, so that the next
// RESUME gets op 9 Invalid Session and the client identifies again.
func (s *Server) InvalidateSessions() {
	s.gmu.Lock()
	defer s.gmu.Unlock()
	s.gw.sessions = make(map[string]*gwSession)
	s.gw.order = nil
}

// Connected reports whether a gateway connection has an identified or
// resumed session and its client has heartbeated on it. The heartbeat
// matters: discordgo starts its heartbeat goroutine after Open, and if
// the connection closes before that goroutine's first heartbeat, the
// goroutine writes to the closed connection and reconnects a second time
// (discordgo v0.29.0), even after Close. Once Connected, dropping the
// connection or closing the session is clean.
func (s *Server) Connected() bool {
	s.gmu.Lock()
	defer s.gmu.Unlock()
	for c := range s.gw.conns {
		if c.sess != nil && c.sess.conn == c && c.beats > 0 {
			return true
		}
	}
	return false
}

// WaitReady waits until Connected: READY or RESUMED was sent and the
// client heartbeated on the connection.
func (s *Server) WaitReady(ctx context.Context) error {
	return s.Wait(ctx, s.Connected)
}

// Received returns the gateway payloads clients sent with opcode op, or
// all of them when op is negative.
func (s *Server) Received(op int) []Frame {
	s.gmu.Lock()
	defer s.gmu.Unlock()
	var out []Frame
	for _, f := range s.gw.received {
		if op < 0 || f.Op == op {
			out = append(out, f)
		}
	}
	return out
}

// Heartbeats is how many heartbeats clients sent (each one was ACKed).
func (s *Server) Heartbeats() int { return len(s.Received(OpHeartbeat)) }

// guildCreate is the guild as GUILD_CREATE describes it.
func (s *Server) guildCreate() map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	members := make([]*discordgo.Member, 0, len(s.st.members))
	for _, id := range s.st.memberIDs() {
		members = append(members, s.st.members[id].discord())
	}
	return map[string]any{
		"id":           GuildID,
		"name":         GuildName,
		"owner_id":     BotUserID,
		"unavailable":  false,
		"member_count": len(members),
		"roles":        s.st.roleList(),
		"members":      members,
		"channels":     []any{},
		"joined_at":    time.Now().UTC().Format(time.RFC3339),
	}
}

func botUser() *discordgo.User {
	return &discordgo.User{ID: BotUserID, Username: BotName, Discriminator: "0", Bot: true}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
