// Command go-verifier checks Silta's audit-log material with code Silta did not write: Go's
// golang.org/x/mod/sumdb/note (signed notes, checkpoints) and golang.org/x/mod/sumdb/tlog
// (RFC 9162 inclusion and consistency proofs), as Debian's golang-golang-x-mod-dev ships them, plus
// code written here from the format texts alone (docs/audit-log-format.md, c2sp.org/tlog-cosignature).
//
// It reads one request on stdin:
//
//	{"logKey": "<the log's verifier key>", "cosignerKeys": ["<witness cosigner key>", ...],
//	 "bundle": <a silta-audit-bundle/v2>,
//	 "consistency": {"from": "<older signed checkpoint>", "proof": ["<base64>", ...]}}   (optional)
//
// and prints one verdict per check, so a caller can see which check refused what:
//
//	{"accepted": <every check passed>, "verdicts": [{"check": "...", "ok": true|false, "detail": "..."}]}
//
// Each check stands alone: when the checkpoint's signature fails, the proofs are still run against
// the tree head the note states, so one tampering shows up as the one check it breaks.
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type request struct {
	LogKey       string       `json:"logKey"`
	CosignerKeys []string     `json:"cosignerKeys"`
	Bundle       bundle       `json:"bundle"`
	Consistency  *consistency `json:"consistency"`
}

// bundle is docs/audit-log-format.md's silta-audit-bundle/v2.
type bundle struct {
	Format       string        `json:"format"`
	Origin       string        `json:"origin"`
	VerifierKey  string        `json:"verifierKey"` // informational: the request's logKey is what is trusted
	Checkpoint   string        `json:"checkpoint"`
	Events       []event       `json:"events"`
	Completeness *completeness `json:"completeness"`
}

type event struct {
	LeafIndex   int64           `json:"leafIndex"`
	LeafVersion int             `json:"leafVersion"`
	ID          string          `json:"id"`
	StreamID    string          `json:"streamId"`
	Revision    int64           `json:"revision"`
	Previous    *int64          `json:"previous"`
	Type        string          `json:"type"`
	Data        json.RawMessage `json:"data"`
	LeafHash    string          `json:"leafHash"`
	Proof       []string        `json:"proof"`
}

type consistency struct {
	From  string   `json:"from"`
	Proof []string `json:"proof"`
}

type verdict struct {
	Check  string `json:"check"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

func main() {
	var req request
	decoder := json.NewDecoder(os.Stdin)
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&req); err != nil {
		fmt.Fprintf(os.Stderr, "go-verifier: the request is not the expected JSON: %v\n", err)
		os.Exit(2)
	}
	verdicts := verify(req)
	accepted := true
	for _, v := range verdicts {
		accepted = accepted && v.OK
	}
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", "  ")
	if err := out.Encode(map[string]interface{}{"accepted": accepted, "verdicts": verdicts}); err != nil {
		fmt.Fprintf(os.Stderr, "go-verifier: %v\n", err)
		os.Exit(2)
	}
}

func verify(req request) []verdict {
	b := req.Bundle
	format := verdict{Check: "format", OK: b.Format == bundleFormat, Detail: b.Format}
	head, headVerdict := openCheckpoint(b.Checkpoint, req.LogKey, b.Origin)
	verdicts := []verdict{format, headVerdict}
	for _, key := range req.CosignerKeys {
		verdicts = append(verdicts, checkCosignature(b.Checkpoint, key))
	}
	for i, e := range b.Events {
		verdicts = append(verdicts, result(fmt.Sprintf("events[%d]", i), checkEvent(e, head)))
	}
	if b.Completeness != nil {
		verdicts = append(verdicts, result("completeness", checkCompleteness(*b.Completeness, b.Events, head)))
	}
	if req.Consistency != nil {
		verdicts = append(verdicts, result("consistency", checkConsistency(*req.Consistency, req.LogKey, b.Origin, head)))
	}
	return verdicts
}

// treeHead is a checkpoint's body, parsed.
type treeHead struct {
	origin  string
	size    int64
	root    tlog.Hash
	mapRoot []byte // nil when the checkpoint has no silta-student-map/v1 line
}

const (
	bundleFormat  = "silta-audit-bundle/v2"
	mapLinePrefix = "silta-student-map/v1 "
)

// openCheckpoint verifies the note with x/mod's note.Open (which must pass over the cosignature
// lines as signatures by unknown keys) and parses its body, also when the signature fails.
func openCheckpoint(text, logKey, origin string) (treeHead, verdict) {
	v := verdict{Check: "checkpoint"}
	body, err := noteBody(text)
	if err != nil {
		v.Detail = err.Error()
		return treeHead{}, v
	}
	head, err := parseCheckpoint(body)
	if err != nil {
		v.Detail = err.Error()
		return head, v
	}
	opened, err := openNote(text, logKey)
	switch {
	case err != nil:
		v.Detail = err.Error()
	case head.origin != origin:
		v.Detail = fmt.Sprintf("checkpoint origin %q is not the bundle's origin %q", head.origin, origin)
	case opened.Sigs[0].Name != head.origin:
		v.Detail = fmt.Sprintf("signed by key %q, not a key named after the origin %q", opened.Sigs[0].Name, head.origin)
	default:
		v.OK = true
		v.Detail = fmt.Sprintf("signed by %s; size %d; map line %t; %d signatures by other keys ignored by note.Open",
			opened.Sigs[0].Name, head.size, head.mapRoot != nil, len(opened.UnverifiedSigs))
	}
	return head, v
}

func openNote(text, vkey string) (*note.Note, error) {
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, fmt.Errorf("log key: %v", err)
	}
	return note.Open([]byte(text), note.VerifierList(verifier))
}

// noteBody is a signed note's text up to its blank line, final newline included: what
// signatures and cosignatures sign.
func noteBody(text string) (string, error) {
	i := strings.LastIndex(text, "\n\n")
	if i < 0 {
		return "", fmt.Errorf("no blank line between the note's text and its signatures")
	}
	return text[:i+1], nil
}

// parseCheckpoint reads a C2SP tlog-checkpoint body: origin, decimal size, base64 root, extension lines.
// (tlog.ParseTree reads only go.sum's own checkpoints, so it does not apply.)
func parseCheckpoint(body string) (treeHead, error) {
	lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
	if len(lines) < 3 {
		return treeHead{}, fmt.Errorf("checkpoint has %d lines, needs origin, size and root", len(lines))
	}
	head := treeHead{origin: lines[0]}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return head, fmt.Errorf("checkpoint size line %q is not a decimal number", lines[1])
	}
	head.size = size
	if head.root, err = tlog.ParseHash(lines[2]); err != nil {
		return head, fmt.Errorf("checkpoint root line %q: %v", lines[2], err)
	}
	for _, line := range lines[3:] {
		if strings.HasPrefix(line, mapLinePrefix) {
			root, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(line, mapLinePrefix))
			if err != nil || len(root) != 32 {
				return head, fmt.Errorf("map line %q is not a base64 32-byte root", line)
			}
			head.mapRoot = root
		}
	}
	return head, nil
}

// checkEvent recomputes the event's leaf bytes, compares their hash with the recorded one, and
// checks the inclusion proof with tlog.CheckRecord.
func checkEvent(e event, head treeHead) error {
	data, err := leafData(e)
	if err != nil {
		return err
	}
	leaf := tlog.RecordHash(data)
	if e.LeafHash != fmt.Sprintf("%x", leaf[:]) {
		return fmt.Errorf("leaf hash recorded %s, recomputed %x from the leaf fields", e.LeafHash, leaf[:])
	}
	proof, err := parseHashes(e.Proof)
	if err != nil {
		return fmt.Errorf("inclusion proof: %v", err)
	}
	if err := tlog.CheckRecord(proof, head.size, head.root, e.LeafIndex, leaf); err != nil {
		return fmt.Errorf("leaf %d is not in the tree of size %d: %v", e.LeafIndex, head.size, err)
	}
	return nil
}

// checkConsistency checks, with tlog.CheckTree, that the older signed checkpoint's tree is a prefix
// of the bundle's.
func checkConsistency(c consistency, logKey, origin string, head treeHead) error {
	oldHead, v := openCheckpoint(c.From, logKey, origin)
	if !v.OK {
		return fmt.Errorf("older checkpoint: %s", v.Detail)
	}
	proof, err := parseHashes(c.Proof)
	if err != nil {
		return fmt.Errorf("consistency proof: %v", err)
	}
	if err := tlog.CheckTree(proof, head.size, head.root, oldHead.size, oldHead.root); err != nil {
		return fmt.Errorf("tree of size %d is not a prefix of the tree of size %d: %v", oldHead.size, head.size, err)
	}
	return nil
}

func parseHashes(texts []string) ([]tlog.Hash, error) {
	hashes := make([]tlog.Hash, len(texts))
	for i, text := range texts {
		h, err := tlog.ParseHash(text)
		if err != nil {
			return nil, fmt.Errorf("hash %d: %v", i, err)
		}
		hashes[i] = h
	}
	return hashes, nil
}

func result(check string, err error) verdict {
	if err != nil {
		return verdict{Check: check, Detail: err.Error()}
	}
	return verdict{Check: check, OK: true}
}
