# tests/debian/debian.mk - included by the top Makefile.
#
#   make debian-root   build/debian/root: the bookworm root with systemd
#                      (tests/debian/mkroot.sh: mmdebstrap, installed with
#                      apt-get when missing; the tarball is cached in
#                      $FAMFS_CACHE/debroot) and famfs from its package
#   make debian-test   tests/debian/run.sh: two appliance guests boot that
#                      root from one shared famfs memory (patched kernel)
#   make appliance-qemu ROOT=debian
#                      the root copied into build/appliance-qemu/debian.img
#                      (famfs cp -a on the host), then the appliance boots
#                      it: systemd, a root shell on the console

DEBIAN_ROOT := $(BUILD)/debian/root

.PHONY: debian-root debian-test
debian-root: all
	$(Q)mkdir -p $(BUILD)/debian
	$(Q)rm -f $(BUILD)/debian/famfs_*.deb
	$(Q)BUILD=$(BUILD) tests/debian/mkroot.sh $(DEBIAN_ROOT) \
		"$$(mk/deb.sh $(BUILD) $(BUILD)/debian)"

debian-test: all kernel
	$(Q)VM_KERNEL=$(KERNEL_IMAGE) VM_KCONFIG=$(KERNEL_CONFIG) tests/debian/run.sh
