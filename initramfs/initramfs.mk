# initramfs/initramfs.mk - included by the top Makefile.
#
#   make initramfs       build/initramfs.cpio.gz: the appliance image
#                        (famfs init as /init, busybox-static,
#                        conf/famfs.ini as /etc/famfs.ini); prints its size
#   make appliance-qemu  build famfs, the kernel and the image, then boot
#                        the appliance in QEMU on a 2 GiB image-backed
#                        memory region (build/appliance-qemu/pmem.img, kept
#                        between boots); formatted on first boot; famfs is
#                        served at /mnt/famfs and a shell runs on the
#                        console (exit it to power off).  Extra kernel
#                        arguments: APPEND="famfs.init.root=/rootfs ..."
#                        ROOT=debian: boot the Debian root of make
#                        debian-root from famfs instead (systemd, a root
#                        shell on the console)
#   make appliance-test  tests/appliance/run.sh with the patched kernel
#
# initramfs/README.md documents the image, the boot and the keys.

APPLIANCE_IMG := $(BUILD)/initramfs.cpio.gz
APPEND ?=

.PHONY: initramfs appliance-qemu appliance-test
initramfs: $(APPLIANCE_IMG)

$(APPLIANCE_IMG): $(BUILD)/famfs conf/famfs.ini initramfs/mkinitramfs.sh initramfs/lib.sh
	$(Q)BUILD=$(BUILD) initramfs/mkinitramfs.sh $@

# ROOT=debian: the Debian root (make debian-root) copied into a memory
# file of its own on the host (tests/debian/image.sh), booted with systemd.
ROOT ?=
appliance-qemu: all kernel $(APPLIANCE_IMG) $(if $(filter debian,$(ROOT)),debian-root)
	$(Q)BUILD=$(BUILD) APPEND='$(APPEND)' ROOT='$(ROOT)' initramfs/qemu.sh

appliance-test: all kernel
	$(Q)VM_KERNEL=$(KERNEL_IMAGE) VM_KCONFIG=$(KERNEL_CONFIG) tests/appliance/run.sh
