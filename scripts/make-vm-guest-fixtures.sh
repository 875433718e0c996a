#!/usr/bin/env bash
# Fixtures of vdi-volume, vhd-volume, vhdx-volume, vmdk-volume, qed-volume, ewf-volume and aff-volume
# (packages/parsers/fixtures/<id>/): guest disks inside VM image and evidence containers, each made by Debian's
# qemu-utils (`qemu-img convert -f raw -O <format>`),
# stored gzip-compressed (`gzip -9n`: the images are mostly zeros, 1 MiB to 16 MiB unpacked; the tests unpack them
# in memory, byte for byte what the tools wrote). Formats: vdi (VirtualBox), vpc (dynamic VHD), vhdx, vmdk
# (monolithicSparse) and qed, an EnCase 6 E01 by ewf-tools' `ewfacquire` and an AFF by afflib-tools' `affconvert`. Guests, 1 MiB each:
#   luks1        first 4 KiB are the LUKS1 header of `cryptsetup luksFormat --type luks1` (key material past 4 KiB
#                left out to keep the files small: the detector reads the header only).
#   random       first 8 KiB uniformly random (a volume encrypted with no header in clear), from python3's os.urandom.
#   gpt-luks     a GPT disk (sfdisk) whose one partition, at sector 40, starts with that LUKS1 header.
#   gpt-ext4     near miss: the same GPT disk whose partition holds an ext4 file system (mke2fs): analysable.
# Damaged (made at the end with python3): table-past-end.<format>, its allocation table's offset past the end.
# Needs: tar, qemu-utils, ewf-tools, afflib-tools, cryptsetup-bin, e2fsprogs, fdisk (sfdisk), python3, gzip.
set -euo pipefail
fixtures=$(cd "$(dirname "$0")/../packages/parsers/fixtures" && pwd)
# Each image goes to the folder of the parser that reads it.
declare -A folder=([vdi]=vdi-volume [vhd]=vhd-volume [vhdx]=vhdx-volume [vmdk]=vmdk-volume [qed]=qed-volume [E01]=ewf-volume [aff]=aff-volume)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
truncate -s 4M l1
echo -n evtriage-fixture | cryptsetup luksFormat -q --type luks1 --pbkdf-force-iterations 1000 l1 -
head -c 4096 l1 > luks-head
python3 - <<'PY'
import os
head = open('luks-head', 'rb').read()
open('luks1.guest', 'wb').write(head + bytes(1048576 - len(head)))
open('random.guest', 'wb').write(os.urandom(8192) + bytes(1048576 - 8192))
PY
for name in gpt-luks gpt-ext4; do
  truncate -s 1M $name.guest
  printf 'label: gpt\nfirst-lba: 34\nstart=40, size=1960, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\n' | sfdisk -q $name.guest
done
dd if=luks-head of=gpt-luks.guest bs=512 seek=40 conv=notrunc status=none
truncate -s $((1960 * 512)) part.ext4
mke2fs -q -t ext4 part.ext4
dd if=part.ext4 of=gpt-ext4.guest bs=512 seek=40 conv=notrunc status=none
for guest in luks1 random gpt-luks gpt-ext4; do
  for format in vdi vpc vhdx vmdk qed; do
    ext=$format; [ $format = vpc ] && ext=vhd
    qemu-img convert -f raw -O $format $guest.guest "$guest.$ext"
    gzip -9n < "$guest.$ext" > "$fixtures/${folder[$ext]}/$guest.$ext.gz"
  done
  # EnCase 6 E01 with zlib chunks (ewf-tools); its header sections record the acquiry date and this host's name.
  ewfacquire -q -u -t "$guest" -f encase6 -c deflate:fast -C case -D "$guest" -e examiner -E evidence -N notes \
    "$guest.guest" >/dev/null
  gzip -9n < "$guest.E01" > "$fixtures/ewf-volume/$guest.E01.gz"
  # AFF by afflib-tools (affconvert wants a .raw name; zlib pages of 16 MiB).
  cp "$guest.guest" "$guest.raw"
  affconvert -o "$guest.aff" "$guest.raw" >/dev/null
  gzip -9n < "$guest.aff" > "$fixtures/aff-volume/$guest.aff.gz"
done
# VMDK stream-optimized extents (what OVF/OVA exports hold) and split extents (twoGbMaxExtentSparse), into
# vmdk-volume/extents/ (vmdk-volume.test.ts):
#   stream-<guest>.vmdk        `qemu-img convert -O vmdk -o subformat=streamOptimized`: zlib grains behind markers.
#   stream-gd-at-end.vmdk      stream-luks1.vmdk rewritten to VMware's layout (no tool here writes it: ovftool is not
#                              in Debian): the header's gdOffset set to GD_AT_END and the footer marker, the footer
#                              (the header with the real gdOffset) and the end-of-stream marker appended, after
#                              "Virtual Disk Format 5.0" (markers: u64 value, u32 size, u32 type; 3 footer, 0 end).
#   stream-no-footer.vmdk      damaged: stream-gd-at-end.vmdk without its last three sectors (VMDK_TABLES_DAMAGED).
#   luks1.ova                  a TAR (GNU tar) of a minimal OVF descriptor, written here, and stream-luks1.vmdk.
#   split-<guest>-s001.vmdk    the first extent of `-o subformat=twoGbMaxExtentSparse` (its descriptor, a file of
#                              its own, is not kept).
#   split-later-s002.vmdk      the second extent of a 3 GiB guest whose first 8 KiB at 2 GiB are random: mid-disk,
#                              not judged (VMDK_GUEST_NOT_JUDGED).
#   split-renamed.vmdk         split-luks1-s001.vmdk under a name that does not say which extent it is: not judged.
extents="$fixtures/vmdk-volume/extents"
mkdir -p "$extents"
for guest in luks1 random gpt-luks gpt-ext4; do
  qemu-img convert -f raw -O vmdk -o subformat=streamOptimized $guest.guest stream-$guest.vmdk
  gzip -9n < stream-$guest.vmdk > "$extents/stream-$guest.vmdk.gz"
done
for guest in luks1 random gpt-ext4; do
  qemu-img convert -f raw -O vmdk -o subformat=twoGbMaxExtentSparse $guest.guest split-$guest.vmdk
  gzip -9n < split-$guest-s001.vmdk > "$extents/split-$guest-s001.vmdk.gz"
done
gzip -9n < split-luks1-s001.vmdk > "$extents/split-renamed.vmdk.gz"
truncate -s 3G later.guest
python3 -c "import os; f = open('later.guest', 'r+b'); f.seek(2 << 30); f.write(os.urandom(8192))"
qemu-img convert -f raw -O vmdk -o subformat=twoGbMaxExtentSparse later.guest split-later.vmdk
gzip -9n < split-later-s002.vmdk > "$extents/split-later-s002.vmdk.gz"
rm later.guest
python3 - "$extents" <<'PY'
import gzip, struct, sys
b = bytearray(open('stream-luks1.vmdk', 'rb').read())
footer = bytes(b[:512])
struct.pack_into('<Q', b, 56, 0xFFFFFFFFFFFFFFFF)
marker = struct.pack('<QII', 1, 0, 3) + bytes(500)
b += marker + footer + bytes(512)
open(f'{sys.argv[1]}/stream-gd-at-end.vmdk.gz', 'wb').write(gzip.compress(bytes(b), 9, mtime=0))
# Damaged: the same without its last three sectors (footer marker, footer, end-of-stream marker).
open(f'{sys.argv[1]}/stream-no-footer.vmdk.gz', 'wb').write(gzip.compress(bytes(b[:-1536]), 9, mtime=0))
PY
cat > luks1.ovf <<'OVF'
<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1">
  <References><File ovf:id="file1" ovf:href="luks1-disk1.vmdk"/></References>
  <DiskSection><Info>Virtual disk information</Info>
    <Disk ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:capacity="1048576"
      ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"/>
  </DiskSection>
  <VirtualSystem ovf:id="luks1"><Info>A virtual machine</Info></VirtualSystem>
</Envelope>
OVF
cp stream-luks1.vmdk luks1-disk1.vmdk
tar --format=ustar --owner=0 --group=0 --mtime=@0 -cf luks1.ova luks1.ovf luks1-disk1.vmdk
gzip -9n < luks1.ova > "$extents/luks1.ova.gz"
# EWF segments (ewf-volume/segments/, ewf-volume.test.ts): a 3 MiB guest starting with the LUKS1 header, acquired
# uncompressed in 1 MiB segments (`ewfacquire -c none -S 1MiB`): seg.E01 holds the guest's start (judged), seg.E02
# to seg.E04 continue its chunks (not judged: EWF_GUEST_NOT_JUDGED). Debian's ewfacquire (libewf 20140813) has no
# EWF2 writer: `-f encase7-v2` writes an EnCase 6 (EWF1) file, so no Ex01/Lx01 is made here.
python3 -c "h = open('luks-head', 'rb').read(); open('seg.guest', 'wb').write(h + bytes(3 * 1048576 - len(h)))"
ewfacquire -q -u -t seg -f encase6 -c none -S 1MiB -C case -D seg -e examiner -E evidence -N notes seg.guest >/dev/null
mkdir -p "$fixtures/ewf-volume/segments"
for segment in seg.E0?; do gzip -9n < "$segment" > "$fixtures/ewf-volume/segments/$segment.gz"; done
# VMDK descriptor files (vmdk-descriptor/, vmdk-descriptor.test.ts): split-luks1.vmdk, the descriptor of
# `-o subformat=twoGbMaxExtentSparse`, with its extent beside it (split-luks1-s001.vmdk.gz, unpacked by the test);
# split-zero.vmdk, the same for an empty guest (qemu-img writes it unpadded, 352 bytes: shorter than a sector),
# its extent left out; flat-luks1.vmdk, the descriptor of `-o subformat=monolithicFlat`, its flat extent (the raw
# guest) left out: "not in the source".
mkdir -p "$fixtures/vmdk-descriptor"
gzip -9n < split-luks1-s001.vmdk > "$fixtures/vmdk-descriptor/split-luks1-s001.vmdk.gz"
truncate -s 1M zero.guest
qemu-img convert -f raw -O vmdk -o subformat=twoGbMaxExtentSparse zero.guest split-zero.vmdk
qemu-img convert -f raw -O vmdk -o subformat=monolithicFlat luks1.guest flat-luks1.vmdk
cp split-luks1.vmdk split-zero.vmdk flat-luks1.vmdk "$fixtures/vmdk-descriptor/"
# Damaged: luks1.<format> with the offset of its allocation table moved past the end of the file: the VDI block
# map (u32 at 0x154), the VHD dynamic header's BAT offset (u64 BE at 16), the VMDK grain directory (u64 sectors at
# 56), the QED L1 table (u64 at 40), the VHDX region table's BAT entry offset (u64, the entry's GUID found by search);
# the E01's volume section with 0 sectors per chunk; the AFF's page size 0.
python3 - "$fixtures" <<'PY'
import gzip, struct, sys
folder = {'vdi': 'vdi-volume', 'vhd': 'vhd-volume', 'vhdx': 'vhdx-volume', 'vmdk': 'vmdk-volume', 'qed': 'qed-volume', 'E01': 'ewf-volume', 'aff': 'aff-volume'}
def damage(ext, patch):
    b = bytearray(open(f'luks1.{ext}', 'rb').read())
    patch(b)
    open(f'{sys.argv[1]}/{folder[ext]}/table-past-end.{ext}.gz', 'wb').write(gzip.compress(bytes(b), 9, mtime=0))
damage('vdi', lambda b: struct.pack_into('<I', b, 0x154, len(b) + 65536))
def vhd(b):
    header = struct.unpack_from('>Q', b, len(b) - 512 + 16)[0]
    struct.pack_into('>Q', b, header + 16, len(b) + 65536)
damage('vhd', vhd)
damage('vmdk', lambda b: struct.pack_into('<Q', b, 56, len(b) // 512 + 128))
damage('qed', lambda b: struct.pack_into('<Q', b, 40, len(b) + 65536))
def vhdx(b):
    bat = bytes.fromhex('6677c22d23f600429d64115e9bfd4a08')  # 2DC27766-F623-4200-9D64-115E9BFD4A08, mixed-endian
    for table in (192 * 1024, 256 * 1024):
        at = b.index(bat, table, table + 4096)
        struct.pack_into('<Q', b, at + 16, len(b) + 1048576)
damage('vhdx', vhdx)
def e01(b):  # sectors per chunk (u32 at 8 of the volume section's data) set to 0
    at = 13
    while b[at:at + 6] != b'volume':
        at = struct.unpack_from('<Q', b, at + 16)[0]
    struct.pack_into('<I', b, at + 76 + 8, 0)
damage('E01', e01)
def aff(b):  # the "pagesize" segment's arg (its page size) set to 0
    at = b.index(b'pagesize') - 16
    struct.pack_into('>I', b, at + 12, 0)
damage('aff', aff)
PY
# Damaged descriptor: its first two lines only (no createType, no extent): no details.
printf '# Disk DescriptorFile\nversion=1\n' > "$fixtures/vmdk-descriptor/no-extents.vmdk"
