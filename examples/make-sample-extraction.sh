#!/usr/bin/env bash
# Remakes examples/sample-extraction/: a small but realistic phone extraction
# (an Android-style and an iOS-style tree) made with the real tools: sqlite3,
# sqlcipher, zip, 7z, qpdf, gpg, openssl, age, netpbm, python3's plistlib.
# Debian: apt-get install -y sqlite3 sqlcipher zip p7zip-full qpdf gnupg openssl age netpbm
# Run: bash examples/make-sample-extraction.sh. The output is committed; this script is here so anyone can remake it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/sample-extraction"
rm -rf "$out"
mkdir -p "$out"
cd "$out"
export TZ=UTC
PASS='correct horse battery staple'

# ---------- Android ----------
A=android
mkdir -p $A/data/data/com.android.providers.telephony/databases \
         $A/data/data/com.android.providers.contacts/databases \
         $A/data/data/com.whatsapp/{databases,files,shared_prefs} \
         $A/data/data/org.thoughtcrime.securesms/databases \
         $A/data/data/com.android.chrome/app_chrome/Default \
         $A/data/data/com.example.fitnesstracker/files \
         $A/data/system \
         $A/data/media/0/WhatsApp/Databases \
         $A/data/media/0/DCIM/Camera \
         $A/data/media/0/Download \
         $A/data/media/0/Documents \
         $A/data/media/0/Android/data/org.telegram.messenger/cache

sqlite3 $A/data/data/com.android.providers.telephony/databases/mmssms.db <<'SQL'
CREATE TABLE sms (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, date INTEGER, date_sent INTEGER, read INTEGER, type INTEGER, body TEXT);
CREATE TABLE threads (_id INTEGER PRIMARY KEY, date INTEGER, message_count INTEGER, recipient_ids TEXT, snippet TEXT);
INSERT INTO threads VALUES (1, 1704110400000, 3, '1', 'See you at 8');
INSERT INTO sms VALUES (1, 1, '+15555550101', 1704106800000, 1704106790000, 1, 1, 'Are we still on for tonight?');
INSERT INTO sms VALUES (2, 1, '+15555550101', 1704108600000, 0, 1, 2, 'Yes, the usual place.');
INSERT INTO sms VALUES (3, 1, '+15555550101', 1704110400000, 1704110390000, 0, 1, 'See you at 8');
SQL

sqlite3 $A/data/data/com.android.providers.contacts/databases/contacts2.db <<'SQL'
CREATE TABLE raw_contacts (_id INTEGER PRIMARY KEY, account_id INTEGER, display_name TEXT, deleted INTEGER DEFAULT 0);
CREATE TABLE data (_id INTEGER PRIMARY KEY, raw_contact_id INTEGER, mimetype_id INTEGER, data1 TEXT);
CREATE TABLE calls (_id INTEGER PRIMARY KEY, number TEXT, date INTEGER, duration INTEGER, type INTEGER);
INSERT INTO raw_contacts VALUES (1, 1, 'Alex Example', 0), (2, 1, 'Sam Sample', 0);
INSERT INTO data VALUES (1, 1, 5, '+15555550101'), (2, 2, 5, '+15555550102');
INSERT INTO calls VALUES (1, '+15555550101', 1704100000000, 62, 1), (2, '+15555550102', 1704103600000, 0, 3);
SQL

sqlite3 $A/data/data/com.whatsapp/databases/msgstore.db >/dev/null <<'SQL'
PRAGMA journal_mode=WAL;
CREATE TABLE jid (_id INTEGER PRIMARY KEY, user TEXT, server TEXT, raw_string TEXT);
CREATE TABLE chat (_id INTEGER PRIMARY KEY, jid_row_id INTEGER, subject TEXT, sort_timestamp INTEGER);
CREATE TABLE message (_id INTEGER PRIMARY KEY, chat_row_id INTEGER, from_me INTEGER, key_id TEXT, sender_jid_row_id INTEGER, timestamp INTEGER, text_data TEXT, message_type INTEGER);
INSERT INTO jid VALUES (1, '15555550101', 's.whatsapp.net', '15555550101@s.whatsapp.net');
INSERT INTO chat VALUES (1, 1, NULL, 1704112000000);
INSERT INTO message VALUES (1, 1, 0, 'A1', 1, 1704111000000, 'Did you get the documents?', 0);
INSERT INTO message VALUES (2, 1, 1, 'A2', 0, 1704111600000, 'Yes, password is in the usual place', 0);
INSERT INTO message VALUES (3, 1, 0, 'A3', 1, 1704112000000, 'ok', 0);
PRAGMA wal_checkpoint(TRUNCATE);
PRAGMA journal_mode=DELETE;
SQL
sqlite3 $A/data/data/com.whatsapp/databases/wa.db <<'SQL'
CREATE TABLE wa_contacts (_id INTEGER PRIMARY KEY, jid TEXT, is_whatsapp_user INTEGER, display_name TEXT, number TEXT);
INSERT INTO wa_contacts VALUES (1, '15555550101@s.whatsapp.net', 1, 'Alex Example', '+15555550101');
SQL
# WhatsApp's backup key file: a serialized Java byte array (AC ED 00 05 ...) around 32 random bytes.
python3 - "$A/data/data/com.whatsapp/files/key" <<'PY'
import os, sys
body = bytes.fromhex('aced0005757200025b42acf317f8060854e00200007870000000') + bytes([0x83]) + os.urandom(131)
open(sys.argv[1], 'wb').write(body)
PY
# The end-to-end backup key that unlocks crypt15 backups: a serialized byte[] around 32 key bytes.
python3 - "$A/data/data/com.whatsapp/files/encrypted_backup.key" <<'PY'
import os, sys
open(sys.argv[1], 'wb').write(bytes.fromhex('aced0005757200025b42acf317f8060854e00200007870000000') + bytes([0x20]) + os.urandom(32))
PY
cat > $A/data/data/com.whatsapp/shared_prefs/com.whatsapp_preferences.xml <<'XML'
<?xml version='1.0' encoding='utf-8' standalone='yes' ?>
<map>
    <string name="registration_jid">15555550100</string>
    <long name="last_backup_time" value="1704067200000" />
    <boolean name="backup_encryption_enabled" value="false" />
</map>
XML
# A WhatsApp crypt15-style backup, written to the layout documented by wa-crypt-tools:
# 1 byte protobuf-length, 0x01 feature flag, a protobuf BackupPrefix (key type, IV,
# app version), then AES-256-GCM ciphertext of the zlib-compressed database and its tag.
python3 - "$A/data/media/0/WhatsApp/Databases/msgstore.db.crypt15" "$A/data/data/com.whatsapp/databases/msgstore.db" <<'PY'
import os, sys, zlib, subprocess
out, db = sys.argv[1], sys.argv[2]
iv = os.urandom(16)
def field(num, wt, payload):
    return bytes([(num << 3) | wt]) + (bytes([len(payload)]) + payload if wt == 2 else payload)
c15_iv = field(1, 2, iv)                                        # C15_IV { IV }
info = field(1, 2, b'2.23.25.84') + field(2, 2, b'00')             # BackupInfo { app_version, jid suffix }
prefix = field(1, 0, bytes([1])) + field(3, 2, c15_iv) + field(4, 2, info)  # key_type=1 (E2E), c15_iv, info
plain = zlib.compress(open(db, 'rb').read())
key = os.urandom(32).hex()
enc = subprocess.run(['openssl', 'enc', '-aes-256-ctr', '-K', key, '-iv', iv.hex()], input=plain, capture_output=True, check=True).stdout
with open(out, 'wb') as f:
    f.write(bytes([len(prefix), 1]) + prefix + enc + os.urandom(16) + os.urandom(16))
PY

# Signal's database is SQLCipher 4 with a key held in the Android keystore.
sqlcipher $A/data/data/org.thoughtcrime.securesms/databases/signal.db <<'SQL' >/dev/null
PRAGMA key = 'x''2DD29CA851E7B56E4697B0E1F08507293D761A05CE4D1B628663F411A8086D99''';
CREATE TABLE message (_id INTEGER PRIMARY KEY, thread_id INTEGER, body TEXT, date_sent INTEGER);
INSERT INTO message VALUES (1, 1, 'meet at the pier', 1704115200000);
SQL

sqlite3 "$A/data/data/com.android.chrome/app_chrome/Default/History" <<'SQL'
CREATE TABLE urls (id INTEGER PRIMARY KEY, url LONGVARCHAR, title LONGVARCHAR, visit_count INTEGER DEFAULT 0, typed_count INTEGER DEFAULT 0, last_visit_time INTEGER, hidden INTEGER DEFAULT 0);
CREATE TABLE visits (id INTEGER PRIMARY KEY, url INTEGER, visit_time INTEGER, from_visit INTEGER, transition INTEGER DEFAULT 0, segment_id INTEGER);
INSERT INTO urls VALUES (1, 'https://example.org/ferry-times', 'Ferry timetable', 2, 1, 13350585600000000, 0);
INSERT INTO visits VALUES (1, 1, 13350585600000000, 0, 1, 0), (2, 1, 13350589200000000, 1, 0, 0);
SQL

cat > $A/data/system/packages.xml <<'XML'
<?xml version='1.0' encoding='utf-8' standalone='yes' ?>
<packages>
    <version sdkVersion="34" databaseVersion="3" />
    <package name="com.whatsapp" codePath="/data/app/com.whatsapp-1" version="232584" />
    <package name="org.thoughtcrime.securesms" codePath="/data/app/org.thoughtcrime.securesms-1" version="1374" />
    <package name="org.telegram.messenger" codePath="/data/app/org.telegram.messenger-1" version="4321" />
    <package name="com.android.chrome" codePath="/data/app/com.android.chrome-1" version="612345" />
    <package name="com.example.fitnesstracker" codePath="/data/app/com.example.fitnesstracker-1" version="17" />
</packages>
XML

# Proprietary app data no reader knows: fixed-size binary records.
python3 - "$A/data/data/com.example.fitnesstracker/files/steps.bin" <<'PY'
import struct, sys
with open(sys.argv[1], 'wb') as f:
    f.write(b'FTRK\x02\x00')
    for day in range(120):
        f.write(struct.pack('<IHHB', 1704067200 + day * 86400, 4000 + (day * 37) % 9000, 60 + day % 30, day % 7))
PY
# Telegram's media cache: a zlib stream with no file header of its own.
python3 -c "import zlib,sys; sys.stdout.buffer.write(zlib.compress(b'{\"cache\":\"thumbnail index\"}\n' * 200, 9))" > $A/data/media/0/Android/data/org.telegram.messenger/cache/-6109432715498012.cache

# Photos (netpbm: a gradient rendered to JPEG and PNG).
python3 - <<'PY' > /tmp/evtriage-photo.ppm
w, h = 64, 48
print('P3', w, h, 255)
for y in range(h):
    print(' '.join(f'{(x*4)%256} {(y*5)%256} {(x*y)%256}' for x in range(w)))
PY
pnmtojpeg -quality 80 /tmp/evtriage-photo.ppm > $A/data/media/0/DCIM/Camera/IMG_20240101_120000.jpg
pnmtopng /tmp/evtriage-photo.ppm > $A/data/media/0/Download/screenshot.png 2>/dev/null
# The same photo with a misleading name.
cp $A/data/media/0/DCIM/Camera/IMG_20240101_120000.jpg $A/data/media/0/Download/invoice.pdf.txt

# Documents, some locked.
printf 'Meeting notes\nFerry at 20:00 from pier 3.\n' > /tmp/evtriage-notes.txt
python3 - /tmp/evtriage-plain.pdf <<'PY'
import sys
objs = [b'<< /Type /Catalog /Pages 2 0 R >>', b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
        None, b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>']
stream = b'BT /F1 18 Tf 20 80 Td (Shipment manifest) Tj ET'
objs[3] = b'<< /Length %d >>\nstream\n' % len(stream) + stream + b'\nendstream'
out = bytearray(b'%PDF-1.4\n')
offsets = []
for i, o in enumerate(objs, 1):
    offsets.append(len(out)); out += b'%d 0 obj\n' % i + o + b'\nendobj\n'
xref = len(out)
out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objs) + 1) + b''.join(b'%010d 00000 n \n' % x for x in offsets)
out += b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (len(objs) + 1, xref)
open(sys.argv[1], 'wb').write(out)
PY
qpdf /tmp/evtriage-plain.pdf $A/data/media/0/Documents/manifest.pdf
qpdf --encrypt "$PASS" "owner-$PASS" 256 -- /tmp/evtriage-plain.pdf $A/data/media/0/Documents/contract-locked.pdf
qpdf --encrypt "" "owner-only" 128 --use-aes=y -- /tmp/evtriage-plain.pdf $A/data/media/0/Documents/brochure-print-restricted.pdf
(cd /tmp && rm -f evtriage-docs.zip && zip -q -P "$PASS" evtriage-docs.zip evtriage-notes.txt evtriage-plain.pdf) && mv /tmp/evtriage-docs.zip $A/data/media/0/Download/tax-docs.zip
(cd /tmp && rm -f evtriage-open.zip && zip -q evtriage-open.zip evtriage-notes.txt evtriage-photo.ppm) && mv /tmp/evtriage-open.zip $A/data/media/0/Download/holiday.zip
rm -f /tmp/evtriage-secret.7z && 7z a -bd -bso0 -p"$PASS" -mhe=on /tmp/evtriage-secret.7z /tmp/evtriage-notes.txt && mv /tmp/evtriage-secret.7z $A/data/media/0/Documents/secret.7z
gpg --batch --yes --quiet --pinentry-mode loopback --passphrase "$PASS" --symmetric --cipher-algo AES256 -o $A/data/media/0/Documents/notes.txt.gpg /tmp/evtriage-notes.txt
openssl enc -aes-256-cbc -pbkdf2 -salt -pass pass:"$PASS" -in /tmp/evtriage-notes.txt -out $A/data/media/0/Download/export.bin
age-keygen -o /tmp/evtriage-age.key 2>/dev/null
age -r "$(age-keygen -y /tmp/evtriage-age.key)" -o $A/data/media/0/Documents/wallet-seed.txt.age /tmp/evtriage-notes.txt
rm -f /tmp/evtriage-age.key /tmp/evtriage-notes.txt /tmp/evtriage-plain.pdf /tmp/evtriage-photo.ppm
printf '2024-01-01 12:00:01 I/ActivityManager: Start proc com.whatsapp\n2024-01-01 12:00:02 I/ActivityManager: Start proc org.telegram.messenger\n2024-01-01 12:00:05 W/Backup: key not found\n' > $A/data/media/0/Download/logcat.log
printf '{"theme":"dark","lastSync":"2024-01-01T12:00:00Z","accounts":[{"id":1,"name":"alex"}]}\n' > $A/data/data/com.example.fitnesstracker/files/settings.json
: > $A/data/data/com.example.fitnesstracker/files/.lock

# ---------- iOS ----------
I=ios/private/var/mobile
WA_UUID=3F2504E0-4F89-11D3-9A0C-0305E82C3301
GRP_UUID=9C1B7A44-2E6D-4F3A-8E51-7D0C2B9A6F10
mkdir -p $I/Library/SMS $I/Library/AddressBook $I/Library/CallHistoryDB $I/Media/DCIM/100APPLE \
         $I/Containers/Data/Application/$WA_UUID/Library/Preferences \
         $I/Containers/Shared/AppGroup/$GRP_UUID

sqlite3 $I/Library/SMS/sms.db <<'SQL'
CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, service TEXT NOT NULL);
CREATE TABLE chat (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT NOT NULL, chat_identifier TEXT, service_name TEXT);
CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT NOT NULL, text TEXT, handle_id INTEGER DEFAULT 0, service TEXT, date INTEGER, is_from_me INTEGER DEFAULT 0);
INSERT INTO handle (id, service) VALUES ('+15555550101', 'iMessage');
INSERT INTO chat (guid, chat_identifier, service_name) VALUES ('iMessage;-;+15555550101', '+15555550101', 'iMessage');
INSERT INTO message (guid, text, handle_id, service, date, is_from_me) VALUES ('G1', 'Landed. Call me.', 1, 'iMessage', 725846400000000000, 0), ('G2', 'On my way', 1, 'iMessage', 725846700000000000, 1);
SQL
sqlite3 $I/Library/AddressBook/AddressBook.sqlitedb <<'SQL'
CREATE TABLE ABPerson (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, First TEXT, Last TEXT, Organization TEXT);
CREATE TABLE ABMultiValue (UID INTEGER PRIMARY KEY, record_id INTEGER, property INTEGER, label INTEGER, value TEXT);
INSERT INTO ABPerson (First, Last) VALUES ('Alex', 'Example'), ('Sam', 'Sample');
INSERT INTO ABMultiValue VALUES (1, 1, 3, 1, '+15555550101'), (2, 2, 3, 1, '+15555550102');
SQL
sqlite3 $I/Library/CallHistoryDB/CallHistory.storedata <<'SQL'
CREATE TABLE ZCALLRECORD (Z_PK INTEGER PRIMARY KEY, ZADDRESS BLOB, ZDATE TIMESTAMP, ZDURATION FLOAT, ZORIGINATED INTEGER, ZANSWERED INTEGER);
INSERT INTO ZCALLRECORD VALUES (1, '+15555550101', 725840000, 62.5, 0, 1), (2, '+15555550102', 725843600, 0, 1, 0);
SQL
sqlite3 $I/Containers/Shared/AppGroup/$GRP_UUID/ChatStorage.sqlite <<'SQL'
CREATE TABLE ZWACHATSESSION (Z_PK INTEGER PRIMARY KEY, ZCONTACTJID VARCHAR, ZPARTNERNAME VARCHAR, ZLASTMESSAGEDATE TIMESTAMP);
CREATE TABLE ZWAMESSAGE (Z_PK INTEGER PRIMARY KEY, ZCHATSESSION INTEGER, ZISFROMME INTEGER, ZMESSAGEDATE TIMESTAMP, ZTEXT VARCHAR, ZFROMJID VARCHAR, ZTOJID VARCHAR);
INSERT INTO ZWACHATSESSION VALUES (1, '15555550101@s.whatsapp.net', 'Alex Example', 725846400);
INSERT INTO ZWAMESSAGE VALUES (1, 1, 0, 725846000, 'Bring the drive', '15555550101@s.whatsapp.net', NULL), (2, 1, 1, 725846400, 'Will do', NULL, '15555550101@s.whatsapp.net');
SQL
python3 - "$I/Containers/Data/Application/$WA_UUID" "$I/Containers/Shared/AppGroup/$GRP_UUID" <<'PY'
import plistlib, sys, datetime
app, grp = sys.argv[1], sys.argv[2]
def write(path, value):
    with open(path, 'wb') as f:
        plistlib.dump(value, f, fmt=plistlib.FMT_BINARY, sort_keys=True)
write(f'{app}/.com.apple.mobile_container_manager.metadata.plist', {
    'MCMMetadataIdentifier': 'net.whatsapp.WhatsApp', 'MCMMetadataContentClass': 2,
    'MCMMetadataUUID': app.rsplit('/', 1)[1], 'MCMMetadataSchemaVersion': 1})
write(f'{grp}/.com.apple.mobile_container_manager.metadata.plist', {
    'MCMMetadataIdentifier': 'group.net.whatsapp.WhatsApp.shared', 'MCMMetadataContentClass': 7,
    'MCMMetadataUUID': grp.rsplit('/', 1)[1], 'MCMMetadataSchemaVersion': 1})
write(f'{app}/Library/Preferences/net.whatsapp.WhatsApp.plist', {
    'OwnJabberID': '15555550100@s.whatsapp.net', 'LastBackupDate': datetime.datetime(2024, 1, 1, 12, 0, 0),
    'BackupEncryptionEnabled': False})
with open(f'{app}/Library/Preferences/com.apple.EmojiCache.plist', 'wb') as f:
    plistlib.dump({'EMFDefaultsKey': ['😀', '👍'], 'Version': 3}, f, fmt=plistlib.FMT_XML)
PY
cp $A/data/media/0/DCIM/Camera/IMG_20240101_120000.jpg $I/Media/DCIM/100APPLE/IMG_0001.JPG
cp $A/data/media/0/Download/screenshot.png $I/Media/DCIM/100APPLE/IMG_0002.PNG

# Fixed times, so the sample looks the same wherever it is remade.
find "$out" -exec touch -h -d '2024-01-02 09:00:00' {} +
echo "wrote $(find "$out" -type f | wc -l) files to $out"
