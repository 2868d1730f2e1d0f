package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
)

// checkCosignature checks a witness's C2SP tlog-cosignature/v1 on a signed checkpoint, written from
// the spec text (https://c2sp.org/tlog-cosignature) alone: x/mod 0.7 has no cosignature support.
//
//	cosigner key = <name>+<hex key id>+base64(0x04 || 32-byte Ed25519 public key)
//	key id       = SHA-256(<name> || "\n" || 0x04 || public key)[:4]
//	line         = "— " <name> " " base64(key id || u64 big-endian timestamp || Ed25519 signature)
//	message      = "cosignature/v1\n" "time " <decimal timestamp> "\n" || the whole note body
func checkCosignature(text, cosignerKey string) verdict {
	v := verdict{Check: "cosignature " + strings.SplitN(cosignerKey, "+", 2)[0]}
	name, keyID, publicKey, err := parseCosignerKey(cosignerKey)
	if err != nil {
		v.Detail = err.Error()
		return v
	}
	body, err := noteBody(text)
	if err != nil {
		v.Detail = err.Error()
		return v
	}
	found := 0
	for _, line := range strings.Split(strings.TrimSuffix(text[len(body)+1:], "\n"), "\n") {
		signature, ok := signatureBy(line, name, keyID)
		if !ok {
			continue // another key's line: C2SP says to ignore it
		}
		found++
		if len(signature) != 8+ed25519.SignatureSize {
			v.Detail = fmt.Sprintf("cosignature by %s is %d bytes after its key id, not 8 + 64", name, len(signature))
			return v
		}
		timestamp := binary.BigEndian.Uint64(signature[:8])
		if timestamp > 1<<63-1 {
			v.Detail = fmt.Sprintf("cosignature by %s has timestamp %d beyond 2^63 - 1", name, timestamp)
			return v
		}
		message := fmt.Sprintf("cosignature/v1\ntime %d\n%s", timestamp, body)
		if !ed25519.Verify(publicKey, []byte(message), signature[8:]) {
			v.Detail = fmt.Sprintf("cosignature by %s (time %d) does not verify", name, timestamp)
			return v
		}
		v.Detail = fmt.Sprintf("time %d", timestamp)
	}
	if found == 0 {
		v.Detail = fmt.Sprintf("no cosignature by %s+%x", name, keyID)
		return v
	}
	v.OK = true
	return v
}

func parseCosignerKey(key string) (name string, keyID []byte, publicKey ed25519.PublicKey, err error) {
	parts := strings.SplitN(key, "+", 3)
	if len(parts) != 3 {
		return "", nil, nil, fmt.Errorf("cosigner key %q is not <name>+<key id>+<key>", key)
	}
	name = parts[0]
	keyID, errID := hex.DecodeString(parts[1])
	material, errKey := base64.StdEncoding.DecodeString(parts[2])
	if errID != nil || len(keyID) != 4 || errKey != nil || len(material) != 33 || material[0] != 0x04 {
		return "", nil, nil, fmt.Errorf("cosigner key %q is not an Ed25519 cosignature/v1 key", key)
	}
	sum := sha256.Sum256(append([]byte(name+"\n"), material...))
	if !bytes.Equal(sum[:4], keyID) {
		return "", nil, nil, fmt.Errorf("cosigner key %q: key id does not match the key", key)
	}
	return name, keyID, ed25519.PublicKey(material[1:]), nil
}

// signatureBy answers the bytes after the key id when the line is by this name and key id.
func signatureBy(line, name string, keyID []byte) ([]byte, bool) {
	rest := strings.TrimPrefix(line, "— "+name+" ")
	if rest == line {
		return nil, false
	}
	raw, err := base64.StdEncoding.DecodeString(rest)
	if err != nil || len(raw) < 4 || !bytes.Equal(raw[:4], keyID) {
		return nil, false
	}
	return raw[4:], true
}
