package server

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// loadOrCreateTLS uses the user's certificate, else the one generated
// earlier in DataDir/tls, else generates a self-signed one for this
// machine's addresses. Browsers warn about a self-signed certificate
// once; the fingerprint lets the interviewer confirm it is theirs.
func loadOrCreateTLS(cfg Config, host string) (*tls.Config, string, error) {
	certFile, keyFile := cfg.CertFile, cfg.KeyFile
	generated := certFile == ""
	if generated {
		dir := filepath.Join(cfg.DataDir, "tls")
		certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
		if _, err := os.Stat(certFile); err != nil {
			if err := generateCert(dir, certFile, keyFile, host); err != nil {
				return nil, "", fmt.Errorf("server: generate certificate: %w", err)
			}
		}
	} else if keyFile == "" {
		return nil, "", fmt.Errorf("server: --cert needs --key")
	}
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, "", fmt.Errorf("server: certificate %s: %w", certFile, err)
	}
	fp := ""
	if generated && len(pair.Certificate) > 0 {
		sum := sha256.Sum256(pair.Certificate[0])
		fp = hex.EncodeToString(sum[:])
	}
	return &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}, fp, nil
}

// generateCert writes a one-year ECDSA P-256 certificate naming localhost,
// the bound host and every address of this machine.
func generateCert(dir, certFile, keyFile, host string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return err
	}
	now := time.Now()
	tpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{Organization: []string{"Unmask"}, CommonName: "Unmask interview server"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(1, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
	}
	if h, err := os.Hostname(); err == nil {
		tpl.DNSNames = append(tpl.DNSNames, h)
	}
	if ip := net.ParseIP(host); ip != nil && !ip.IsUnspecified() {
		tpl.IPAddresses = append(tpl.IPAddresses, ip)
	} else if host != "" && ip == nil {
		tpl.DNSNames = append(tpl.DNSNames, host)
	}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				tpl.IPAddresses = append(tpl.IPAddresses, n.IP)
			}
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	if err := writePrivate(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})); err != nil {
		return err
	}
	return writePrivate(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}
