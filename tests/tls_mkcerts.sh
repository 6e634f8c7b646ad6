#!/bin/sh
# Test certificates for the tls suite, made with the openssl CLI in DIR:
#   ca.pem/.key        a test CA
#   valid.pem/.key     leaf for localhost, 127.0.0.1 and ::1 (valid 2020-2099)
#   expired.pem/.key   the same names, valid only in January 2020
#   other.pem/.key     leaf for other.example only
#   client.pem/.key    a client certificate (mutual TLS)
#   self.pem/.key      self-signed leaf for localhost, 127.0.0.1 and ::1
#   sanfirst.pem/.key  CN=localhost but SAN other.example only (SAN wins)
#   wild.pem/.key      SAN *.wild.test and the partial wildcard f*.part.test
#   nul.pem/.key       SAN "localhost\0.evil.example" (a NUL inside the name)
# usage: tls_mkcerts.sh DIR
set -eu
cd "$1"
curve="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
# shellcheck disable=SC2086 - $curve holds several options
openssl req -x509 $curve -keyout ca.key -out ca.pem -days 36500 -subj "/CN=cnet test CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
mkdir db
: >db/index.txt
echo 1000 >db/serial
cat >ca.cnf <<'EOF'
[ca]
default_ca = test
[test]
database = db/index.txt
new_certs_dir = db
serial = db/serial
default_md = sha256
policy = any
unique_subject = no
[any]
commonName = supplied
EOF
# leaf NAME CN SAN START END: a CA-signed leaf; `openssl ca` sets any dates,
# so the expired leaf is a real 2020 certificate.
leaf() {
    # shellcheck disable=SC2086
    openssl req $curve -keyout "$1.key" -out "$1.csr" -subj "/CN=$2" 2>/dev/null
    printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n' "$3" >"$1.ext"
    openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in "$1.csr" -out "$1.pem" \
        -startdate "$4" -enddate "$5" -extfile "$1.ext" -notext 2>/dev/null
}
names="DNS:localhost,IP:127.0.0.1,IP:::1"
leaf valid localhost "$names" 20200101000000Z 20991231000000Z
leaf expired localhost "$names" 20200101000000Z 20200201000000Z
leaf other other.example "DNS:other.example" 20200101000000Z 20991231000000Z
leaf client cnet-client "DNS:cnet-client" 20200101000000Z 20991231000000Z
leaf sanfirst localhost "DNS:other.example" 20200101000000Z 20991231000000Z
leaf wild wild "DNS:*.wild.test,DNS:f*.part.test" 20200101000000Z 20991231000000Z
# The SAN's DER by hand (the config syntax cannot hold a NUL): GeneralNames
# SEQUENCE { [2] dNSName "localhost" NUL ".evil.example" } (23 bytes).
nul_name=$(printf 'localhost\000.evil.example' | od -An -tx1 | tr -d ' \n')
leaf nul localhost "DER:30198217$nul_name" 20200101000000Z 20991231000000Z
# shellcheck disable=SC2086
openssl req -x509 $curve -keyout self.key -out self.pem -days 36500 -subj "/CN=localhost" \
    -addext "subjectAltName=$names" 2>/dev/null
touch done
