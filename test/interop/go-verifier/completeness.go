package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"sort"
)

// The per-student completeness map, written from docs/audit-log-format.md alone (sections "The
// per-student completeness map" and "Bundles"), to check that the document is precise enough.

type completeness struct {
	Stream string     `json:"stream"`
	Entry  *mapEntry  `json:"entry"`
	Proof  mapProofIn `json:"proof"`
}

type mapEntry struct {
	Latest int64 `json:"latest"`
	Count  int64 `json:"count"`
}

type mapProofIn struct {
	Siblings []string `json:"siblings"`
	Terminal *struct {
		Key       string `json:"key"`
		ValueHash string `json:"valueHash"`
	} `json:"terminal"`
}

// checkCompleteness checks the map proof against the checkpoint's map line, then that the bundle
// holds exactly the stream's events the proven entry counts, chained by `previous`.
func checkCompleteness(c completeness, events []event, head treeHead) error {
	if head.mapRoot == nil {
		return fmt.Errorf("the checkpoint has no %q line", mapLinePrefix)
	}
	if err := checkMapProof(head.mapRoot, c.Stream, c.Entry, c.Proof); err != nil {
		return err
	}
	return checkChain(c.Stream, c.Entry, events)
}

// checkMapProof: start from the stream's leaf (or, for absence, from empty or the terminal leaf),
// fold the siblings deepest first with the key's bit at each depth, and compare with the root.
func checkMapProof(root []byte, stream string, entry *mapEntry, proof mapProofIn) error {
	key := sha256.Sum256([]byte(stream))
	n := len(proof.Siblings)
	if n > 256 {
		return fmt.Errorf("map proof has %d siblings, a key has 256 bits", n)
	}
	var h []byte
	switch {
	case entry != nil:
		value := fmt.Sprintf(`{"count":%d,"latest":%d}`, entry.Count, entry.Latest)
		valueHash := sha256.Sum256([]byte(value))
		h = mapLeaf(key[:], valueHash[:])
	case proof.Terminal != nil:
		other, errKey := hex.DecodeString(proof.Terminal.Key)
		valueHash, errValue := hex.DecodeString(proof.Terminal.ValueHash)
		if errKey != nil || len(other) != 32 || errValue != nil || len(valueHash) != 32 {
			return fmt.Errorf("map proof terminal is not two hex 32-byte hashes")
		}
		if bytes.Equal(other, key[:]) {
			return fmt.Errorf("absence proof for %s ends at its own key", stream)
		}
		for depth := 0; depth < n; depth++ {
			if bit(other, depth) != bit(key[:], depth) {
				return fmt.Errorf("absence proof for %s ends at a key that leaves its path at depth %d", stream, depth)
			}
		}
		h = mapLeaf(other, valueHash)
	default:
		h = make([]byte, 32)
	}
	for i, text := range proof.Siblings {
		sibling, err := base64.StdEncoding.DecodeString(text)
		if err != nil || len(sibling) != 32 {
			return fmt.Errorf("map proof sibling %d is not a base64 32-byte hash", i)
		}
		if bit(key[:], n-1-i) == 1 {
			h = mapInner(sibling, h)
		} else {
			h = mapInner(h, sibling)
		}
	}
	if !bytes.Equal(h, root) {
		return fmt.Errorf("map proof for %s leads to %x, not the checkpoint's map root %x", stream, h, root)
	}
	return nil
}

// bit is the key's bit at depth d, most significant bit of the first byte first.
func bit(key []byte, d int) byte {
	return (key[d/8] >> (7 - uint(d%8))) & 1
}

func mapLeaf(key, valueHash []byte) []byte {
	sum := sha256.Sum256(append(append([]byte{0x00}, key...), valueHash...))
	return sum[:]
}

func mapInner(left, right []byte) []byte {
	sum := sha256.Sum256(append(append([]byte{0x01}, left...), right...))
	return sum[:]
}

// checkChain: exactly `count` v2 events of the stream, revisions 0…count-1, the first with previous
// null, each other's previous the leaf index of the one before it, the last at leaf index `latest`.
// An absent entry means the bundle holds none of the stream's events.
func checkChain(stream string, entry *mapEntry, events []event) error {
	var chain []event
	for _, e := range events {
		if e.StreamID == stream && e.LeafVersion == 2 {
			chain = append(chain, e)
		}
	}
	if entry == nil {
		if len(chain) > 0 {
			return fmt.Errorf("the map says %s has no leaf, the bundle holds %d of its events", stream, len(chain))
		}
		return nil
	}
	if int64(len(chain)) != entry.Count {
		return fmt.Errorf("the map counts %d leaves of %s, the bundle holds %d v2 events of it", entry.Count, stream, len(chain))
	}
	sort.Slice(chain, func(i, j int) bool { return chain[i].Revision < chain[j].Revision })
	for i, e := range chain {
		if e.Revision != int64(i) {
			return fmt.Errorf("%s: expected revision %d, found %d", stream, i, e.Revision)
		}
		switch {
		case i == 0 && e.Previous != nil:
			return fmt.Errorf("%s: revision 0 has previous %d, not null", stream, *e.Previous)
		case i > 0 && (e.Previous == nil || *e.Previous != chain[i-1].LeafIndex):
			return fmt.Errorf("%s: revision %d's previous is not leaf %d", stream, i, chain[i-1].LeafIndex)
		}
	}
	if last := chain[len(chain)-1]; last.LeafIndex != entry.Latest {
		return fmt.Errorf("%s: the newest event is leaf %d, the map says %d", stream, last.LeafIndex, entry.Latest)
	}
	return nil
}
