#!/bin/bash
# The forensic-image sweep set of docs/encrypted-formats-audit.md ("Forensic images, volumes and partitions"):
# each image made by the Debian tool that writes it, under /tmp/h39b/imgs (nothing is mounted). Needs
# android-sdk-libsparse-utils, mkbootimg, abootimg, f2fs-tools, mtd-utils, genromfs, ewf-tools, afflib-tools,
# qemu-utils, cryptsetup-bin, e2fsprogs, util-linux. The LVM2 volume was made by hand (pvcreate/vgcreate on a
# loop device, then the loop device detached and /etc/lvm/backup cleaned), mdadm could not run here (no md driver).
set -u
O=/tmp/h39b/imgs; S=/tmp/h39b/src; mkdir -p $O $S/tree/dir
cd $S
echo "hello evidence" > tree/a.txt; seq 1 3000 > tree/dir/seq.txt; head -c 20000 /usr/bin/ls > tree/bin
P=pw-h39b
# --- Android ---
mke2fs -q -t ext4 -d tree $O/system.ext4.img 4M
img2simg $O/system.ext4.img $O/system.sparse.img
head -c 2000000 /dev/urandom > kernel; (cd tree && find . | cpio -o -H newc 2>/dev/null | gzip) > ramdisk
for v in 0 1 2 3 4; do
  extra=""; [ $v = 2 ] && extra="--dtb tree/a.txt"
  mkbootimg --kernel kernel --ramdisk ramdisk --header_version $v $extra --cmdline "console=ttyS0" -o $O/boot.v$v.img 2>/dev/null || echo "mkbootimg v$v failed"
done
mkbootimg --header_version 3 --vendor_boot $O/vendor_boot.v3.img --vendor_ramdisk ramdisk --dtb tree/a.txt 2>/dev/null || echo vendorboot fail
abootimg --create $O/boot.abootimg.img -k kernel -r ramdisk 2>/dev/null || echo abootimg fail
# dm-verity hash tree (separate hash device) and superblock
cp $O/system.ext4.img $O/verity.data.img; veritysetup format $O/verity.data.img $O/verity.hash.img > $O/verity.format.txt
# --- file systems ---
mkfs.f2fs -q $O/f2fs.plain.img 2>/dev/null || { truncate -s 64M $O/f2fs.plain.img; mkfs.f2fs -q $O/f2fs.plain.img; }
truncate -s 64M $O/f2fs.encrypt.img; mkfs.f2fs -q -O encrypt $O/f2fs.encrypt.img
mke2fs -q -t ext4 -O encrypt -d tree $O/ext4.encrypt.img 4M
mkfs.cramfs tree $O/cramfs.img >/dev/null
genromfs -d tree -f $O/romfs.img
truncate -s 1M $O/minix.img; mkfs.minix $O/minix.img >/dev/null
mkfs.jffs2 -r tree -o $O/jffs2.img; mkfs.jffs2 -l -r tree -o $O/jffs2.le.img; mkfs.jffs2 -b -r tree -o $O/jffs2.be.img
mkfs.ubifs -r tree -m 2048 -e 129024 -c 64 -o $O/ubifs.img
printf '[ubifs]\nmode=ubi\nimage=%s\nvol_id=0\nvol_type=dynamic\nvol_name=rootfs\nvol_flags=autoresize\n' $O/ubifs.img > ubi.ini
ubinize -o $O/ubi.img -m 2048 -p 128KiB -s 512 ubi.ini
# --- cryptsetup ---
truncate -s 20M $O/luks1.img; echo -n $P | cryptsetup luksFormat -q --type luks1 --pbkdf-force-iterations 1000 $O/luks1.img -
truncate -s 20M $O/luks2.img; echo -n $P | cryptsetup luksFormat -q --type luks2 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 $O/luks2.img -
truncate -s 20M $O/luks2.detached.data; truncate -s 16M $O/luks2.detached.hdr
echo -n $P | cryptsetup luksFormat -q --type luks2 --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --header $O/luks2.detached.hdr $O/luks2.detached.data -
truncate -s 4M $O/luks1.detached.data; truncate -s 4M $O/luks1.detached.hdr
echo -n $P | cryptsetup luksFormat -q --type luks1 --pbkdf-force-iterations 1000 --header $O/luks1.detached.hdr $O/luks1.detached.data -
# --- forensic containers ---
head -c 1048576 /dev/urandom > rand.raw; cat $O/system.ext4.img > disk.raw
ewfacquire -u -t $O/ewf.e01 -f encase6 -c deflate:fast -S 0 disk.raw >/dev/null 2>&1 || echo ewf fail
ewfacquire -u -t $O/ewf.ewfx -f ewfx disk.raw >/dev/null 2>&1 || echo ewfx fail
cat disk.raw | ewfacquirestream -t $O/ewfstream >/dev/null 2>&1 || echo ewfstream fail
affconvert -o $O/aff.aff disk.raw >/dev/null 2>&1 || echo aff fail
for f in qcow2 vdi vpc vhdx qed vmdk; do qemu-img convert -O $f disk.raw $O/qemu.$f >/dev/null; done
qemu-img create -q -f qcow2 --object secret,id=s0,data=$P -o encrypt.format=luks,encrypt.key-secret=s0,encrypt.iter-time=10 $O/qemu.luks.qcow2 8M
qemu-img create -q -f luks --object secret,id=s0,data=$P -o key-secret=s0,iter-time=10 $O/qemu.raw.luks 8M
# split raw
split -b 1500000 -d -a 3 --numeric-suffixes=1 disk.raw $O/split.
