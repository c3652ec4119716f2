// Unit tests for the pure /proc parsers. Fixture text is either captured on the
// development host (a Debian 12 Firecracker VM, cgroup v1 hybrid, kernel 6.18)
// or written exactly as the named runtime lays it out, where the runtime is not
// installed here.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "core/containers/identity.h"
#include "core/diagnosis/inspect.h"
#include "core/proc/proc_parse.h"

using namespace std::string_view_literals;
using nsdebug::MountEntry;

namespace {

constexpr std::string_view kPodUid = "63aec3e3-56e5-465e-b283-950a31e9f175";
constexpr std::string_view kContainerdId = "862b28601261b2b5fd77fb940b347adf5a783002a4616eb2a6ffe43fd9c3e5ae";
constexpr std::string_view kCrioId = "b00e13169c4e0bce3b151691f851c3d12a157937fc328ea05126a4550ae7a602";
constexpr std::string_view kDockerId = "95b0355f0ef5872936b4360b07581f4d103e3de02969df4859b76f3cdec09d4f";
constexpr std::string_view kPodmanId = "c5b8415c999b12b397be8d9108cbb18ea7daa78c22a32eb7be342ab7697ea9a8";
constexpr std::string_view kKubeId = "bb68c1177b1a4ef06cf5fdbd951e20cafe9b68d965e890c15b45ed114cd6dfce";
constexpr std::string_view kPauseId = "46859647540e417471a57ec1c661ba9ed093db76d4738d581e53c56390707263";
constexpr std::string_view kCgnsId = "b265d77fd1898e1b0c608b24f46ff85bdceb13cdb50a2c1980140e1c72e62582";

const MountEntry* find_mount(const std::vector<MountEntry>& mounts, std::string_view point) {
  for (const auto& m : mounts) {
    if (m.mount_point == point) return &m;
  }
  return nullptr;
}

// ---- /proc/PID/cgroup fixtures ---------------------------------------------

// Captured: `cat /proc/self/cgroup` in a shell on the development host.
constexpr std::string_view kHostCgroupV1Hybrid = R"(9:name=systemd:/
8:pids:/
7:blkio:/
6:freezer:/
5:devices:/
4:memory:/process_api/7fc33b27143a4c83673fdb7e1f95eb8a
3:cpuset:/
2:cpuacct:/
1:cpu:/
0::/
)";

// containerd, systemd cgroup driver, cgroup v2, BestEffort pod.
constexpr std::string_view kContainerdSystemdV2 =
    "0::/kubepods.slice/kubepods-besteffort.slice/"
    "kubepods-besteffort-pod63aec3e3_56e5_465e_b283_950a31e9f175.slice/"
    "cri-containerd-862b28601261b2b5fd77fb940b347adf5a783002a4616eb2a6ffe43fd9c3e5ae.scope\n";

// containerd, systemd driver, Guaranteed pod: no QoS slice.
constexpr std::string_view kContainerdGuaranteedV2 =
    "0::/kubepods.slice/kubepods-pod63aec3e3_56e5_465e_b283_950a31e9f175.slice/"
    "cri-containerd-420bcf50e1629fd9adc620c6577c87203c09e888aea2a85fb55146552df522fd.scope\n";

// CRI-O with crun: crun moves the payload into a "container" sub-cgroup of the scope.
constexpr std::string_view kCrioV2 =
    "0::/kubepods.slice/kubepods-burstable.slice/"
    "kubepods-burstable-pod63aec3e3_56e5_465e_b283_950a31e9f175.slice/"
    "crio-b00e13169c4e0bce3b151691f851c3d12a157937fc328ea05126a4550ae7a602.scope/container\n";

// CRI-O's conmon monitor lives next to the container, in its own scope.
constexpr std::string_view kCrioConmonV2 =
    "0::/kubepods.slice/kubepods-burstable.slice/"
    "kubepods-burstable-pod63aec3e3_56e5_465e_b283_950a31e9f175.slice/"
    "crio-conmon-b00e13169c4e0bce3b151691f851c3d12a157937fc328ea05126a4550ae7a602.scope\n";

// CRI-O, systemd driver on a cgroup v1 host (RHEL 8 / OpenShift 4.x before v2).
constexpr std::string_view kCrioV1 =
    R"(12:pids:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod63aec3e3_56e5_465e_b283_950a31e9f175.slice/crio-b00e13169c4e0bce3b151691f851c3d12a157937fc328ea05126a4550ae7a602.scope
11:hugetlb:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod63aec3e3_56e5_465e_b283_950a31e9f175.slice/crio-b00e13169c4e0bce3b151691f851c3d12a157937fc328ea05126a4550ae7a602.scope
10:cpu,cpuacct:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod63aec3e3_56e5_465e_b283_950a31e9f175.slice/crio-b00e13169c4e0bce3b151691f851c3d12a157937fc328ea05126a4550ae7a602.scope
9:memory:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod63aec3e3_56e5_465e_b283_950a31e9f175.slice/crio-b00e13169c4e0bce3b151691f851c3d12a157937fc328ea05126a4550ae7a602.scope
1:name=systemd:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod63aec3e3_56e5_465e_b283_950a31e9f175.slice/crio-b00e13169c4e0bce3b151691f851c3d12a157937fc328ea05126a4550ae7a602.scope
)";

// Docker with the cgroupfs driver on an Ubuntu 18.04-style hybrid host: the
// unified line is still the daemon's, only the v1 lines name the container.
constexpr std::string_view kDockerCgroupfsHybrid = R"(12:cpuset:/docker/95b0355f0ef5872936b4360b07581f4d103e3de02969df4859b76f3cdec09d4f
11:hugetlb:/docker/95b0355f0ef5872936b4360b07581f4d103e3de02969df4859b76f3cdec09d4f
10:net_cls,net_prio:/docker/95b0355f0ef5872936b4360b07581f4d103e3de02969df4859b76f3cdec09d4f
9:devices:/docker/95b0355f0ef5872936b4360b07581f4d103e3de02969df4859b76f3cdec09d4f
8:perf_event:/docker/95b0355f0ef5872936b4360b07581f4d103e3de02969df4859b76f3cdec09d4f
7:freezer:/docker/95b0355f0ef5872936b4360b07581f4d103e3de02969df4859b76f3cdec09d4f
6:cpu,cpuacct:/docker/95b0355f0ef5872936b4360b07581f4d103e3de02969df4859b76f3cdec09d4f
5:blkio:/docker/95b0355f0ef5872936b4360b07581f4d103e3de02969df4859b76f3cdec09d4f
4:memory:/docker/95b0355f0ef5872936b4360b07581f4d103e3de02969df4859b76f3cdec09d4f
3:pids:/docker/95b0355f0ef5872936b4360b07581f4d103e3de02969df4859b76f3cdec09d4f
2:rdma:/
1:name=systemd:/docker/95b0355f0ef5872936b4360b07581f4d103e3de02969df4859b76f3cdec09d4f
0::/system.slice/containerd.service
)";

// Docker with the systemd driver, cgroup v2.
constexpr std::string_view kDockerSystemdV2 = "0::/system.slice/docker-95b0355f0ef5872936b4360b07581f4d103e3de02969df4859b76f3cdec09d4f.scope\n";

// podman 4.3 cgroupfs manager on this host (see podlab FINDINGS): same path in
// every hierarchy, the v2 line included.
constexpr std::string_view kPodmanCgroupfs = R"(9:name=systemd:/libpod_parent/177e240f50147f6427e13bbc5df02d31ae77b05cf69b34caa13f56d93273ec1d/libpod-c5b8415c999b12b397be8d9108cbb18ea7daa78c22a32eb7be342ab7697ea9a8
8:pids:/libpod_parent/177e240f50147f6427e13bbc5df02d31ae77b05cf69b34caa13f56d93273ec1d/libpod-c5b8415c999b12b397be8d9108cbb18ea7daa78c22a32eb7be342ab7697ea9a8
7:blkio:/libpod_parent/177e240f50147f6427e13bbc5df02d31ae77b05cf69b34caa13f56d93273ec1d/libpod-c5b8415c999b12b397be8d9108cbb18ea7daa78c22a32eb7be342ab7697ea9a8
6:freezer:/libpod_parent/177e240f50147f6427e13bbc5df02d31ae77b05cf69b34caa13f56d93273ec1d/libpod-c5b8415c999b12b397be8d9108cbb18ea7daa78c22a32eb7be342ab7697ea9a8
5:devices:/libpod_parent/177e240f50147f6427e13bbc5df02d31ae77b05cf69b34caa13f56d93273ec1d/libpod-c5b8415c999b12b397be8d9108cbb18ea7daa78c22a32eb7be342ab7697ea9a8
4:memory:/libpod_parent/177e240f50147f6427e13bbc5df02d31ae77b05cf69b34caa13f56d93273ec1d/libpod-c5b8415c999b12b397be8d9108cbb18ea7daa78c22a32eb7be342ab7697ea9a8
3:cpuset:/libpod_parent/177e240f50147f6427e13bbc5df02d31ae77b05cf69b34caa13f56d93273ec1d/libpod-c5b8415c999b12b397be8d9108cbb18ea7daa78c22a32eb7be342ab7697ea9a8
2:cpuacct:/libpod_parent/177e240f50147f6427e13bbc5df02d31ae77b05cf69b34caa13f56d93273ec1d/libpod-c5b8415c999b12b397be8d9108cbb18ea7daa78c22a32eb7be342ab7697ea9a8
1:cpu:/libpod_parent/177e240f50147f6427e13bbc5df02d31ae77b05cf69b34caa13f56d93273ec1d/libpod-c5b8415c999b12b397be8d9108cbb18ea7daa78c22a32eb7be342ab7697ea9a8
0::/libpod_parent/177e240f50147f6427e13bbc5df02d31ae77b05cf69b34caa13f56d93273ec1d/libpod-c5b8415c999b12b397be8d9108cbb18ea7daa78c22a32eb7be342ab7697ea9a8
)";

constexpr std::string_view kPodmanConmonCgroupfs = R"(9:name=systemd:/libpod_parent/conmon
8:pids:/libpod_parent/conmon
4:memory:/libpod_parent/conmon
1:cpu:/libpod_parent/conmon
0::/libpod_parent/conmon
)";

// The podlab oci harness (runc, kubelet's cgroupfs layout) on this hybrid host.
constexpr std::string_view kKubeletCgroupfsBestEffort = R"(9:name=systemd:/kubepods/besteffort/pod63aec3e3-56e5-465e-b283-950a31e9f175/bb68c1177b1a4ef06cf5fdbd951e20cafe9b68d965e890c15b45ed114cd6dfce
8:pids:/kubepods/besteffort/pod63aec3e3-56e5-465e-b283-950a31e9f175/bb68c1177b1a4ef06cf5fdbd951e20cafe9b68d965e890c15b45ed114cd6dfce
7:blkio:/kubepods/besteffort/pod63aec3e3-56e5-465e-b283-950a31e9f175/bb68c1177b1a4ef06cf5fdbd951e20cafe9b68d965e890c15b45ed114cd6dfce
6:freezer:/kubepods/besteffort/pod63aec3e3-56e5-465e-b283-950a31e9f175/bb68c1177b1a4ef06cf5fdbd951e20cafe9b68d965e890c15b45ed114cd6dfce
5:devices:/kubepods/besteffort/pod63aec3e3-56e5-465e-b283-950a31e9f175/bb68c1177b1a4ef06cf5fdbd951e20cafe9b68d965e890c15b45ed114cd6dfce
4:memory:/kubepods/besteffort/pod63aec3e3-56e5-465e-b283-950a31e9f175/bb68c1177b1a4ef06cf5fdbd951e20cafe9b68d965e890c15b45ed114cd6dfce
3:cpuset:/kubepods/besteffort/pod63aec3e3-56e5-465e-b283-950a31e9f175/bb68c1177b1a4ef06cf5fdbd951e20cafe9b68d965e890c15b45ed114cd6dfce
2:cpuacct:/kubepods/besteffort/pod63aec3e3-56e5-465e-b283-950a31e9f175/bb68c1177b1a4ef06cf5fdbd951e20cafe9b68d965e890c15b45ed114cd6dfce
1:cpu:/kubepods/besteffort/pod63aec3e3-56e5-465e-b283-950a31e9f175/bb68c1177b1a4ef06cf5fdbd951e20cafe9b68d965e890c15b45ed114cd6dfce
0::/
)";

// Guaranteed QoS pods sit directly under /kubepods.
constexpr std::string_view kKubeletCgroupfsGuaranteed = R"(12:memory:/kubepods/pod3bf2d5f0-f135-42f4-99e2-85ab6a1348e7/46859647540e417471a57ec1c661ba9ed093db76d4738d581e53c56390707263
11:cpu,cpuacct:/kubepods/pod3bf2d5f0-f135-42f4-99e2-85ab6a1348e7/46859647540e417471a57ec1c661ba9ed093db76d4738d581e53c56390707263
1:name=systemd:/kubepods/pod3bf2d5f0-f135-42f4-99e2-85ab6a1348e7/46859647540e417471a57ec1c661ba9ed093db76d4738d581e53c56390707263
)";

// Seen from a container with a private cgroup namespace (podlab util harness,
// CGNS=1): other containers are one level up.
constexpr std::string_view kPrivateCgroupnsOther = R"(9:name=systemd:/../b265d77fd1898e1b0c608b24f46ff85bdceb13cdb50a2c1980140e1c72e62582
8:pids:/../b265d77fd1898e1b0c608b24f46ff85bdceb13cdb50a2c1980140e1c72e62582
7:blkio:/../b265d77fd1898e1b0c608b24f46ff85bdceb13cdb50a2c1980140e1c72e62582
6:freezer:/../b265d77fd1898e1b0c608b24f46ff85bdceb13cdb50a2c1980140e1c72e62582
5:devices:/../b265d77fd1898e1b0c608b24f46ff85bdceb13cdb50a2c1980140e1c72e62582
4:memory:/../b265d77fd1898e1b0c608b24f46ff85bdceb13cdb50a2c1980140e1c72e62582
3:cpuset:/../b265d77fd1898e1b0c608b24f46ff85bdceb13cdb50a2c1980140e1c72e62582
2:cpuacct:/../b265d77fd1898e1b0c608b24f46ff85bdceb13cdb50a2c1980140e1c72e62582
1:cpu:/../b265d77fd1898e1b0c608b24f46ff85bdceb13cdb50a2c1980140e1c72e62582
0::/../b265d77fd1898e1b0c608b24f46ff85bdceb13cdb50a2c1980140e1c72e62582
)";

constexpr std::string_view kPrivateCgroupnsSelf = R"(9:name=systemd:/
8:pids:/
4:memory:/
1:cpu:/
0::/
)";

}  // namespace

TEST_CASE("the host's own hybrid cgroup file parses into one entry per hierarchy", "[cgroup]") {
  const auto lines = nsdebug::parse_cgroup(kHostCgroupV1Hybrid);
  REQUIRE(lines.size() == 10);
  CHECK(lines[0].hierarchy == 9);
  CHECK(lines[0].controllers == "name=systemd");
  CHECK(lines[0].path == "/");
  CHECK(lines[5].hierarchy == 4);
  CHECK(lines[5].controllers == "memory");
  CHECK(lines[5].path == "/process_api/7fc33b27143a4c83673fdb7e1f95eb8a");
  CHECK(lines[9].hierarchy == 0);
  CHECK(lines[9].controllers.empty());
  CHECK(lines[9].path == "/");
}

TEST_CASE("comma-joined v1 controllers stay one field", "[cgroup]") {
  const auto lines = nsdebug::parse_cgroup(kDockerCgroupfsHybrid);
  REQUIRE(lines.size() == 13);
  CHECK(lines[2].controllers == "net_cls,net_prio");
  CHECK(lines[6].hierarchy == 6);
  CHECK(lines[6].controllers == "cpu,cpuacct");
  CHECK(lines[6].path == "/docker/95b0355f0ef5872936b4360b07581f4d103e3de02969df4859b76f3cdec09d4f");
}

TEST_CASE("malformed cgroup lines are skipped and a colon inside a path is kept", "[cgroup]") {
  const auto lines = nsdebug::parse_cgroup(
      "garbage\n"
      "\n"
      "x:memory:/kubepods\n"
      "5:memory\n"
      "4:memory:relative/path\n"
      "3:cpu:/weird:name\n"
      "0::/init.scope");  // last line without a newline
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].hierarchy == 3);
  CHECK(lines[0].path == "/weird:name");
  CHECK(lines[1].hierarchy == 0);
  CHECK(lines[1].path == "/init.scope");
}

TEST_CASE("a containerd systemd-driver cgroup v2 line names the container and its pod",
          "[cgroup][runtime]") {
  const auto r = nsdebug::runtime_id_from_cgroup(kContainerdSystemdV2);
  REQUIRE(r);
  CHECK(r->runtime == "containerd");
  CHECK(r->id == kContainerdId);
  CHECK(r->pod_uid == kPodUid);
}

TEST_CASE("a Guaranteed pod's systemd slice without a QoS level still yields the pod uid",
          "[cgroup][runtime]") {
  const auto r = nsdebug::runtime_id_from_cgroup(kContainerdGuaranteedV2);
  REQUIRE(r);
  CHECK(r->runtime == "containerd");
  CHECK(r->id == "420bcf50e1629fd9adc620c6577c87203c09e888aea2a85fb55146552df522fd");
  CHECK(r->pod_uid == kPodUid);
}

TEST_CASE("a static pod's 32-hex config-hash uid is accepted", "[cgroup][runtime]") {
  const auto r = nsdebug::runtime_id_from_cgroup(
      "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod3809e9f895740a9add31e6132845490e.slice/"
      "cri-containerd-862b28601261b2b5fd77fb940b347adf5a783002a4616eb2a6ffe43fd9c3e5ae.scope\n");
  REQUIRE(r);
  CHECK(r->pod_uid == "3809e9f895740a9add31e6132845490e");
  CHECK(r->id == kContainerdId);
}

TEST_CASE("a CRI-O container is found even inside crun's container sub-cgroup",
          "[cgroup][runtime]") {
  const auto r = nsdebug::runtime_id_from_cgroup(kCrioV2);
  REQUIRE(r);
  CHECK(r->runtime == "cri-o");
  CHECK(r->id == kCrioId);
  CHECK(r->pod_uid == kPodUid);
}

TEST_CASE("CRI-O's conmon scope is not a container", "[cgroup][runtime]") {
  CHECK_FALSE(nsdebug::runtime_id_from_cgroup(kCrioConmonV2));
}

TEST_CASE("CRI-O on a pure cgroup v1 host is found from the v1 lines", "[cgroup][runtime]") {
  const auto r = nsdebug::runtime_id_from_cgroup(kCrioV1);
  REQUIRE(r);
  CHECK(r->runtime == "cri-o");
  CHECK(r->id == kCrioId);
  CHECK(r->pod_uid == kPodUid);
}

TEST_CASE("docker cgroupfs v1 lines name the container when the v2 line is the daemon's",
          "[cgroup][runtime]") {
  const auto r = nsdebug::runtime_id_from_cgroup(kDockerCgroupfsHybrid);
  REQUIRE(r);
  CHECK(r->runtime == "docker");
  CHECK(r->id == kDockerId);
  CHECK(r->pod_uid.empty());
}

TEST_CASE("a docker systemd scope names the container", "[cgroup][runtime]") {
  const auto r = nsdebug::runtime_id_from_cgroup(kDockerSystemdV2);
  REQUIRE(r);
  CHECK(r->runtime == "docker");
  CHECK(r->id == kDockerId);
}

TEST_CASE("a process in a sub-cgroup of a docker container still belongs to it",
          "[cgroup][runtime]") {
  // systemd running inside a container puts itself in init.scope.
  const auto r = nsdebug::runtime_id_from_cgroup("0::/docker/95b0355f0ef5872936b4360b07581f4d103e3de02969df4859b76f3cdec09d4f/init.scope\n");
  REQUIRE(r);
  CHECK(r->runtime == "docker");
  CHECK(r->id == kDockerId);
}

TEST_CASE("docker-in-docker is named by the innermost container", "[cgroup][runtime]") {
  const auto r = nsdebug::runtime_id_from_cgroup(
      "4:memory:/docker/420bcf50e1629fd9adc620c6577c87203c09e888aea2a85fb55146552df522fd/"
      "docker/95b0355f0ef5872936b4360b07581f4d103e3de02969df4859b76f3cdec09d4f\n");
  REQUIRE(r);
  CHECK(r->runtime == "docker");
  CHECK(r->id == kDockerId);
}

TEST_CASE("a kind node's pod container is named by containerd, not the node's docker scope",
          "[cgroup][runtime]") {
  // kind runs the kubelet with --cgroup-root=/kubelet inside a docker container.
  const auto r = nsdebug::runtime_id_from_cgroup(
      "0::/system.slice/docker-95b0355f0ef5872936b4360b07581f4d103e3de02969df4859b76f3cdec09d4f.scope/"
      "kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/"
      "kubelet-kubepods-besteffort-pod63aec3e3_56e5_465e_b283_950a31e9f175.slice/"
      "cri-containerd-862b28601261b2b5fd77fb940b347adf5a783002a4616eb2a6ffe43fd9c3e5ae.scope\n");
  REQUIRE(r);
  CHECK(r->runtime == "containerd");
  CHECK(r->id == kContainerdId);
  CHECK(r->pod_uid == kPodUid);
}

TEST_CASE("podman's cgroupfs layout names the container but no Kubernetes pod",
          "[cgroup][runtime]") {
  const auto r = nsdebug::runtime_id_from_cgroup(kPodmanCgroupfs);
  REQUIRE(r);
  CHECK(r->runtime == "podman");
  CHECK(r->id == kPodmanId);
  CHECK(r->pod_uid.empty());
}

TEST_CASE("podman's conmon cgroup is not a container", "[cgroup][runtime]") {
  CHECK_FALSE(nsdebug::runtime_id_from_cgroup(kPodmanConmonCgroupfs));
}

TEST_CASE("podman systemd scopes: the container counts, its conmon does not",
          "[cgroup][runtime]") {
  const auto r = nsdebug::runtime_id_from_cgroup(
      "0::/machine.slice/libpod-c5b8415c999b12b397be8d9108cbb18ea7daa78c22a32eb7be342ab7697ea9a8.scope/container\n");
  REQUIRE(r);
  CHECK(r->runtime == "podman");
  CHECK(r->id == kPodmanId);
  CHECK_FALSE(nsdebug::runtime_id_from_cgroup("0::/machine.slice/libpod-conmon-c5b8415c999b12b397be8d9108cbb18ea7daa78c22a32eb7be342ab7697ea9a8.scope\n"));
}

TEST_CASE("kubelet cgroupfs v1 lines name the container when the v2 line is the root",
          "[cgroup][runtime]") {
  const auto r = nsdebug::runtime_id_from_cgroup(kKubeletCgroupfsBestEffort);
  REQUIRE(r);
  CHECK(r->runtime == "kubepods");
  CHECK(r->id == kKubeId);
  CHECK(r->pod_uid == kPodUid);
}

TEST_CASE("a Guaranteed pod directly under /kubepods is recognised", "[cgroup][runtime]") {
  const auto r = nsdebug::runtime_id_from_cgroup(kKubeletCgroupfsGuaranteed);
  REQUIRE(r);
  CHECK(r->runtime == "kubepods");
  CHECK(r->id == kPauseId);
  CHECK(r->pod_uid == "3bf2d5f0-f135-42f4-99e2-85ab6a1348e7");
}

TEST_CASE("a single v1 memory line is enough to name a kubelet container", "[cgroup][runtime]") {
  const auto r = nsdebug::runtime_id_from_cgroup("4:memory:/kubepods/besteffort/pod63aec3e3-56e5-465e-b283-950a31e9f175/bb68c1177b1a4ef06cf5fdbd951e20cafe9b68d965e890c15b45ed114cd6dfce\n");
  REQUIRE(r);
  CHECK(r->runtime == "kubepods");
  CHECK(r->id == kKubeId);
  CHECK(r->pod_uid == kPodUid);
}

TEST_CASE("a v1 name=systemd line alone names the container", "[cgroup][runtime]") {
  const auto r = nsdebug::runtime_id_from_cgroup(
      "4:memory:/\n"
      "1:name=systemd:/docker/95b0355f0ef5872936b4360b07581f4d103e3de02969df4859b76f3cdec09d4f\n"
      "0::/\n");
  REQUIRE(r);
  CHECK(r->runtime == "docker");
  CHECK(r->id == kDockerId);
}

TEST_CASE("a v2 line naming a container wins over v1 lines naming another",
          "[cgroup][runtime]") {
  // v1 hierarchies listed first, as the kernel does; a runtime that moved the
  // process on v2 only leaves stale v1 paths behind.
  const auto r = nsdebug::runtime_id_from_cgroup(
      "4:memory:/docker/95b0355f0ef5872936b4360b07581f4d103e3de02969df4859b76f3cdec09d4f\n"
      "0::/system.slice/docker-862b28601261b2b5fd77fb940b347adf5a783002a4616eb2a6ffe43fd9c3e5ae.scope\n");
  REQUIRE(r);
  CHECK(r->id == kContainerdId);
}

TEST_CASE("without a container on v2 the first v1 line that names one wins",
          "[cgroup][runtime]") {
  const auto r = nsdebug::runtime_id_from_cgroup(
      "5:devices:/\n"
      "4:memory:/docker/95b0355f0ef5872936b4360b07581f4d103e3de02969df4859b76f3cdec09d4f\n"
      "3:pids:/kubepods/besteffort/pod63aec3e3-56e5-465e-b283-950a31e9f175/bb68c1177b1a4ef06cf5fdbd951e20cafe9b68d965e890c15b45ed114cd6dfce\n"
      "0::/init.scope\n");
  REQUIRE(r);
  CHECK(r->runtime == "docker");
  CHECK(r->id == kDockerId);
}

TEST_CASE("under a private cgroup namespace a sibling container's id is found, runtime unknown",
          "[cgroup][runtime]") {
  const auto r = nsdebug::runtime_id_from_cgroup(kPrivateCgroupnsOther);
  REQUIRE(r);
  CHECK(r->runtime.empty());
  CHECK(r->id == kCgnsId);
  CHECK(r->pod_uid.empty());
}

TEST_CASE("under a private cgroup namespace a v1 memory line alone is enough", "[cgroup][runtime]") {
  const auto r = nsdebug::runtime_id_from_cgroup("4:memory:/../b265d77fd1898e1b0c608b24f46ff85bdceb13cdb50a2c1980140e1c72e62582\n0::/\n");
  REQUIRE(r);
  CHECK(r->runtime.empty());
  CHECK(r->id == kCgnsId);
}

TEST_CASE("under a private cgroup namespace a runtime prefix still names the runtime",
          "[cgroup][runtime]") {
  const auto r = nsdebug::runtime_id_from_cgroup("0::/../cri-containerd-862b28601261b2b5fd77fb940b347adf5a783002a4616eb2a6ffe43fd9c3e5ae.scope\n");
  REQUIRE(r);
  CHECK(r->runtime == "containerd");
  CHECK(r->id == kContainerdId);
  CHECK(r->pod_uid.empty());
}

TEST_CASE("our own cgroup seen from inside a private cgroup namespace names nothing",
          "[cgroup][runtime]") {
  CHECK_FALSE(nsdebug::runtime_id_from_cgroup(kPrivateCgroupnsSelf));
  CHECK_FALSE(nsdebug::runtime_id_from_cgroup("0::/\n"));
}

TEST_CASE("host processes have no container id", "[cgroup][runtime]") {
  CHECK_FALSE(nsdebug::runtime_id_from_cgroup(kHostCgroupV1Hybrid));
  CHECK_FALSE(nsdebug::runtime_id_from_cgroup("0::/init.scope\n"));
  CHECK_FALSE(nsdebug::runtime_id_from_cgroup("0::/user.slice/user-1000.slice/session-3.scope\n"));
  CHECK_FALSE(nsdebug::runtime_id_from_cgroup("0::/system.slice/containerd.service\n"));
  CHECK_FALSE(nsdebug::runtime_id_from_cgroup("0::/kubepods.slice/kubepods-besteffort.slice\n"));
  CHECK_FALSE(nsdebug::runtime_id_from_cgroup(""));
}

TEST_CASE("a short hex-looking cgroup name is not taken for a container id", "[cgroup][runtime]") {
  CHECK_FALSE(nsdebug::runtime_id_from_cgroup("0::/docker/cafe\n"));
  CHECK_FALSE(nsdebug::runtime_id_from_cgroup("0::/system.slice/docker-beef.scope\n"));
  CHECK_FALSE(nsdebug::runtime_id_from_cgroup("0::/../deadbeef\n"));
}

TEST_CASE("a removed v2 cgroup marked (deleted) still names its container", "[cgroup][runtime]") {
  const auto r = nsdebug::runtime_id_from_cgroup(
      "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod63aec3e3_56e5_465e_b283_950a31e9f175.slice/"
      "cri-containerd-862b28601261b2b5fd77fb940b347adf5a783002a4616eb2a6ffe43fd9c3e5ae.scope (deleted)\n");
  REQUIRE(r);
  CHECK(r->id == kContainerdId);
  CHECK(r->pod_uid == kPodUid);
}

// ---- /proc/PID/status ------------------------------------------------------

namespace {

// Captured: `cat /proc/self/status` as root on the development host.
constexpr std::string_view kSelfStatus =
    "Name:\tcat\n"
    "Umask:\t0022\n"
    "State:\tR (running)\n"
    "Tgid:\t15638\n"
    "Ngid:\t0\n"
    "Pid:\t15638\n"
    "PPid:\t15630\n"
    "TracerPid:\t0\n"
    "Uid:\t0\t0\t0\t0\n"
    "Gid:\t0\t0\t0\t0\n"
    "FDSize:\t256\n"
    "Groups:\t \n"
    "NStgid:\t15638\n"
    "NSpid:\t15638\n"
    "NSpgid:\t15630\n"
    "NSsid:\t2291\n"
    "Kthread:\t0\n"
    "VmPeak:\t    3060 kB\n"
    "VmSize:\t    3060 kB\n"
    "VmLck:\t       0 kB\n"
    "VmPin:\t       0 kB\n"
    "VmHWM:\t    1744 kB\n"
    "VmRSS:\t    1744 kB\n"
    "RssAnon:\t     112 kB\n"
    "RssFile:\t    1632 kB\n"
    "RssShmem:\t       0 kB\n"
    "VmData:\t     360 kB\n"
    "VmStk:\t     132 kB\n"
    "VmExe:\t      20 kB\n"
    "VmLib:\t    1528 kB\n"
    "VmPTE:\t      44 kB\n"
    "VmSwap:\t       0 kB\n"
    "HugetlbPages:\t       0 kB\n"
    "CoreDumping:\t0\n"
    "THP_enabled:\t1\n"
    "untag_mask:\t0xffffffffffffffff\n"
    "Threads:\t1\n"
    "SigQ:\t3/96364\n"
    "SigPnd:\t0000000000000000\n"
    "ShdPnd:\t0000000000000000\n"
    "SigBlk:\t0000000000000000\n"
    "SigIgn:\t0000000000000000\n"
    "SigCgt:\t0000000000000000\n"
    "CapInh:\t0000000000000000\n"
    "CapPrm:\t000001fffeffffff\n"
    "CapEff:\t000001fffeffffff\n"
    "CapBnd:\t000001fffeffffff\n"
    "CapAmb:\t0000000000000000\n"
    "NoNewPrivs:\t0\n"
    "Seccomp:\t0\n"
    "Seccomp_filters:\t0\n"
    "Speculation_Store_Bypass:\tvulnerable\n"
    "SpeculationIndirectBranch:\talways enabled\n"
    "Cpus_allowed:\t3\n"
    "Cpus_allowed_list:\t0-1\n"
    "Mems_allowed:\t00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000001\n"
    "Mems_allowed_list:\t0\n"
    "voluntary_ctxt_switches:\t0\n"
    "nonvoluntary_ctxt_switches:\t3\n";;

// Captured (excerpt): a sleep in a child PID namespace, read from the host.
constexpr std::string_view kNspidStatus =
    "Name:\tsleep\n"
    "Umask:\t0022\n"
    "State:\tS (sleeping)\n"
    "Tgid:\t15659\n"
    "Ngid:\t0\n"
    "Pid:\t15659\n"
    "PPid:\t15656\n"
    "TracerPid:\t0\n"
    "Uid:\t0\t0\t0\t0\n"
    "Gid:\t0\t0\t0\t0\n"
    "FDSize:\t256\n"
    "Groups:\t \n"
    "NStgid:\t15659\t3\n"
    "NSpid:\t15659\t3\n"
    "NSpgid:\t15630\t0\n"
    "NSsid:\t2291\t0\n"
    "Kthread:\t0\n"
    "CapInh:\t0000000000000000\n"
    "CapPrm:\t000001fffeffffff\n"
    "CapEff:\t000001fffeffffff\n"
    "CapBnd:\t000001fffeffffff\n"
    "CapAmb:\t0000000000000000\n"
    "NoNewPrivs:\t0\n";;

// Captured (excerpt): `setpriv --reuid=101 --regid=101 --clear-groups --inh-caps=-all
// --bounding-set=-all cat /proc/self/status`, an unprivileged nginx-like worker.
constexpr std::string_view kUid101Status =
    "Name:\tcat\n"
    "Umask:\t0022\n"
    "State:\tR (running)\n"
    "Tgid:\t3826\n"
    "Ngid:\t0\n"
    "Pid:\t3826\n"
    "PPid:\t3815\n"
    "TracerPid:\t0\n"
    "Uid:\t101\t101\t101\t101\n"
    "Gid:\t101\t101\t101\t101\n"
    "FDSize:\t256\n"
    "Groups:\t \n"
    "NStgid:\t3826\n"
    "NSpid:\t3826\n"
    "NSpgid:\t3815\n"
    "NSsid:\t2291\n"
    "Kthread:\t0\n"
    "CapInh:\t0000000000000000\n"
    "CapPrm:\t0000000000000000\n"
    "CapEff:\t0000000000000000\n"
    "CapBnd:\t0000000000000000\n"
    "CapAmb:\t0000000000000000\n"
    "NoNewPrivs:\t0\n";;

// Captured (excerpt): `setpriv --ruid=1000 --euid=101 --rgid=1000 --egid=101 --clear-groups`.
constexpr std::string_view kMixedIdStatus =
    "Name:\tcat\n"
    "Umask:\t0022\n"
    "State:\tR (running)\n"
    "Tgid:\t3842\n"
    "Ngid:\t0\n"
    "Pid:\t3842\n"
    "PPid:\t3840\n"
    "TracerPid:\t0\n"
    "Uid:\t1000\t101\t101\t101\n"
    "Gid:\t1000\t101\t101\t101\n"
    "FDSize:\t256\n"
    "Groups:\t \n"
    "NStgid:\t3842\n"
    "NSpid:\t3842\n"
    "NSpgid:\t3840\n"
    "NSsid:\t2291\n"
    "Kthread:\t0\n"
    "CapInh:\t0000000000000000\n"
    "CapPrm:\t0000000000000000\n"
    "CapEff:\t0000000000000000\n"
    "CapBnd:\t000001fffeffffff\n"
    "CapAmb:\t0000000000000000\n"
    "NoNewPrivs:\t0\n";;

}  // namespace

TEST_CASE("a root process's status gives its ids, NSpid, capabilities, state and name",
          "[status]") {
  const auto s = nsdebug::parse_status(kSelfStatus);
  REQUIRE(s);
  CHECK(s->name == "cat");
  CHECK(s->state == 'R');
  CHECK(s->ruid == 0);
  CHECK(s->euid == 0);
  CHECK(s->rgid == 0);
  CHECK(s->nspid == std::vector<pid_t>{15638});
  CHECK(s->cap_eff == 0x1fffeffffffULL);
  CHECK(s->cap_prm == 0x1fffeffffffULL);
  CHECK(s->cap_bnd == 0x1fffeffffffULL);
}

TEST_CASE("NSpid lists the PID from the outermost namespace inwards", "[status]") {
  const auto s = nsdebug::parse_status(kNspidStatus);
  REQUIRE(s);
  CHECK(s->nspid == std::vector<pid_t>{15659, 3});
  CHECK(s->state == 'S');
  CHECK(s->name == "sleep");
}

TEST_CASE("an unprivileged process has its uid and gid and no capabilities", "[status]") {
  const auto s = nsdebug::parse_status(kUid101Status);
  REQUIRE(s);
  CHECK(s->ruid == 101);
  CHECK(s->euid == 101);
  CHECK(s->suid == 101);
  CHECK(s->fsuid == 101);
  CHECK(s->egid == 101);
  CHECK(s->cap_eff == 0);
  CHECK(s->cap_prm == 0);
  CHECK(s->cap_bnd == 0);
}

TEST_CASE("real, effective, saved and fs ids are kept apart in that order", "[status]") {
  const auto s = nsdebug::parse_status(kMixedIdStatus);
  REQUIRE(s);
  CHECK(s->ruid == 1000);
  CHECK(s->euid == 101);
  CHECK(s->suid == 101);
  CHECK(s->fsuid == 101);
  CHECK(s->rgid == 1000);
  CHECK(s->egid == 101);
  CHECK(s->sgid == 101);
  CHECK(s->fsgid == 101);
  CHECK(s->cap_eff == 0);
  CHECK(s->cap_bnd == 0x1fffeffffffULL);
}

TEST_CASE("a task name keeps its blanks and has the kernel's \\n and \\\\ escapes decoded",
          "[status]") {
  // Captured after `printf 'we\\ird\tna me\nx' > /proc/$$/comm`.
  const auto s = nsdebug::parse_status(
      "Name:\twe\\\\ird\tna me\\nx\n"
      "State:\tS (sleeping)\n"
      "Uid:\t0\t0\t0\t0\n");
  REQUIRE(s);
  CHECK(s->name == "we\\ird\tna me\nx");
}

TEST_CASE("a task name with leading and trailing blanks keeps them", "[status]") {
  // Captured after `printf ' sp ' > /proc/$$/comm`.
  const auto s = nsdebug::parse_status("Name:\t sp \nUid:\t0\t0\t0\t0\n");
  REQUIRE(s);
  CHECK(s->name == " sp ");
}

TEST_CASE("a zombie's state letter is Z", "[status]") {
  const auto s = nsdebug::parse_status(
      "Name:\tnginx\n"
      "State:\tZ (zombie)\n"
      "Uid:\t101\t101\t101\t101\n"
      "Gid:\t101\t101\t101\t101\n"
      "NSpid:\t32650\t7\n");
  REQUIRE(s);
  CHECK(s->state == 'Z');
  CHECK(s->nspid == std::vector<pid_t>{32650, 7});
}

TEST_CASE("status without a Uid line is rejected", "[status]") {
  CHECK_FALSE(nsdebug::parse_status(""));
  CHECK_FALSE(nsdebug::parse_status("Name:\tcat\nUmask:\t0022\nState:\tR (running)\n"));
}

TEST_CASE("a Uid line without four numbers does not count as a Uid line", "[status]") {
  CHECK_FALSE(nsdebug::parse_status("Name:\tcat\nUid:\t0\t0\t0\n"));
  CHECK_FALSE(nsdebug::parse_status("Name:\tcat\nUid:\t0\tx\t0\t0\n"));
  CHECK_FALSE(nsdebug::parse_status("Name:\tcat\nUid:\t0\t0\t0\t0\t0\n"));
}

TEST_CASE("malformed status lines are skipped, the rest still parses", "[status]") {
  const auto s = nsdebug::parse_status(
      "no colon here\n"
      "Name:\tsh\n"
      "NSpid:\t12\tseven\n"
      "CapEff:\tzzzz\n"
      "Gid:\t1\n"
      "State:\n"
      "Uid:\t33\t33\t33\t33");  // last line without a newline
  REQUIRE(s);
  CHECK(s->name == "sh");
  CHECK(s->euid == 33);
  CHECK(s->nspid.empty());
  CHECK(s->cap_eff == 0);
  CHECK(s->egid == 0);
  CHECK(s->state == '?');
}

TEST_CASE("a kernel without NSpid leaves nspid empty", "[status]") {
  // Linux < 4.1 has no NS* lines.
  const auto s = nsdebug::parse_status(
      "Name:\tbash\nState:\tS (sleeping)\nTgid:\t812\nPid:\t812\nPPid:\t1\n"
      "Uid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\n");
  REQUIRE(s);
  CHECK(s->nspid.empty());
  CHECK(s->euid == 1000);
}

// ---- /proc/PID/mountinfo ---------------------------------------------------

namespace {

// Captured: /proc/self/mountinfo in a private mount namespace on the
// development host, after a tmpfs on /dev, a bind mount on
// /dev/termination-log, tmpfs mounts with an empty source on "a b" and
// "tab<TAB>dir", and a proc with hidepid=invisible.
constexpr std::string_view kHostMountinfo = R"(42 41 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534
43 42 0:24 / /mnt/sandboxing/model_tools_env/v1/python ro,nosuid,nodev,relatime - tmpfs model_tools_unavailable ro,size=4k,mode=755
44 42 0:20 / /proc rw,relatime - proc proc rw
45 42 0:21 / /sys rw,relatime - sysfs sysfs rw
46 45 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
47 46 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
48 46 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
49 46 0:30 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
50 46 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
51 46 0:32 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
52 46 0:33 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
53 46 0:34 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
54 46 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
55 46 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
56 46 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
57 42 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,size=12334416k,nr_inodes=3083604,mode=755
58 57 0:22 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24683620k
59 58 0:26 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24683620k
60 57 0:23 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000
61 60 0:25 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000
62 57 0:38 / /dev rw,relatime - tmpfs tmpfs rw,size=1024k,mode=755
63 62 254:0 /tmp/pp/x/kubelet/pods/7c1f0e52-5f3a-4b7e-9d2c-3a1b2c3d4e5f/containers/nginx/0 /dev/termination-log rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534
64 42 0:39 / /tmp/pp/a\040b rw,relatime - tmpfs  rw,size=1024k
65 42 0:39 / /tmp/pp/tab\011dir rw,relatime - tmpfs  rw,size=1024k
66 42 0:40 / /tmp/pp/x rw,relatime - proc proc rw,hidepid=invisible
)";

// Captured: a shared tmpfs and a slave-then-shared bind of "back\slash" in it.
constexpr std::string_view kPropagationMountinfo = R"(62 42 0:38 / /tmp/pp/s rw,relatime shared:1 - tmpfs src rw,size=1024k
63 42 0:38 /back\134slash /tmp/pp/m rw,relatime shared:2 master:1 - tmpfs src rw,size=1024k
)";

}  // namespace

TEST_CASE("the proc(5) example line yields every field", "[mountinfo]") {
  const auto m = nsdebug::parse_mountinfo(
      "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n");
  REQUIRE(m.size() == 1);
  CHECK(m[0].id == 36);
  CHECK(m[0].parent == 35);
  CHECK(m[0].root == "/mnt1");
  CHECK(m[0].mount_point == "/mnt2");
  CHECK(m[0].options == "rw,noatime");
  CHECK(m[0].fstype == "ext3");
  CHECK(m[0].source == "/dev/root");
  CHECK(m[0].super_options == "rw,errors=continue");
}

TEST_CASE("a captured mountinfo parses every line", "[mountinfo]") {
  const auto m = nsdebug::parse_mountinfo(kHostMountinfo);
  REQUIRE(m.size() == 25);
  CHECK(m[0].id == 42);
  CHECK(m[0].parent == 41);
  CHECK(m[0].mount_point == "/");
  CHECK(m[0].fstype == "ext4");
  CHECK(m[0].source == "/dev/vda");
  const auto* unified = find_mount(m, "/sys/fs/cgroup/unified");
  REQUIRE(unified);
  CHECK(unified->fstype == "cgroup2");
  CHECK(unified->super_options == "rw");
}

TEST_CASE("octal escapes in mount points are decoded", "[mountinfo]") {
  const auto m = nsdebug::parse_mountinfo(kHostMountinfo);
  CHECK(find_mount(m, "/tmp/pp/a b"));
  CHECK(find_mount(m, "/tmp/pp/tab\tdir"));
  CHECK_FALSE(find_mount(m, "/tmp/pp/a\\040b"));
}

TEST_CASE("an escaped newline and backslash in root and mount point are decoded",
          "[mountinfo]") {
  const auto m = nsdebug::parse_mountinfo(
      "70 42 0:41 /new\\012line /mnt/back\\134slash rw,relatime - tmpfs tmpfs rw\n");
  REQUIRE(m.size() == 1);
  CHECK(m[0].root == "/new\nline");
  CHECK(m[0].mount_point == "/mnt/back\\slash");
}

TEST_CASE("a backslash not followed by an octal byte is kept as is", "[mountinfo]") {
  const auto m = nsdebug::parse_mountinfo(
      "70 42 0:41 / /mnt/a\\9b\\04 rw - tmpfs tmpfs rw\n");
  REQUIRE(m.size() == 1);
  CHECK(m[0].mount_point == "/mnt/a\\9b\\04");
}

TEST_CASE("an empty mount source does not shift the fields after it", "[mountinfo]") {
  const auto m = nsdebug::parse_mountinfo(kHostMountinfo);
  const auto* e = find_mount(m, "/tmp/pp/a b");
  REQUIRE(e);
  CHECK(e->fstype == "tmpfs");
  CHECK(e->source.empty());
  CHECK(e->super_options == "rw,size=1024k");
}

TEST_CASE("hidepid shows up in the proc mount's super options", "[mountinfo]") {
  const auto m = nsdebug::parse_mountinfo(kHostMountinfo);
  const auto* p = find_mount(m, "/tmp/pp/x");
  REQUIRE(p);
  CHECK(p->fstype == "proc");
  CHECK(p->super_options == "rw,hidepid=invisible");
}

TEST_CASE("optional propagation fields end at the lone dash", "[mountinfo]") {
  const auto m = nsdebug::parse_mountinfo(kPropagationMountinfo);
  REQUIRE(m.size() == 2);
  CHECK(m[0].mount_point == "/tmp/pp/s");
  CHECK(m[0].fstype == "tmpfs");
  CHECK(m[0].source == "src");
  CHECK(m[1].root == "/back\\slash");
  CHECK(m[1].options == "rw,relatime");
  CHECK(m[1].fstype == "tmpfs");
  CHECK(m[1].source == "src");
  CHECK(m[1].super_options == "rw,size=1024k");
}

TEST_CASE("malformed mountinfo lines are skipped", "[mountinfo]") {
  const auto m = nsdebug::parse_mountinfo(
      "\n"
      "garbage\n"
      "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 ext3 /dev/root rw\n"  // no "-"
      "x 35 98:0 / /mnt rw - ext3 /dev/root rw\n"                        // bad id
      "36 35 98:0 / /mnt rw - ext3\n"                                    // short tail
      "44 42 0:20 / /proc rw,relatime - proc proc rw");                  // no newline
  REQUIRE(m.size() == 1);
  CHECK(m[0].id == 44);
  CHECK(m[0].mount_point == "/proc");
}

// ---- kubelet termination-log mount ----------------------------------------

TEST_CASE("the captured termination-log bind mount names the pod and the container",
          "[kubelet]") {
  const auto k = nsdebug::kubelet_container(nsdebug::parse_mountinfo(kHostMountinfo));
  REQUIRE(k);
  CHECK(k->pod_uid == "7c1f0e52-5f3a-4b7e-9d2c-3a1b2c3d4e5f");
  CHECK(k->name == "nginx");
}

TEST_CASE("the kubelet's default /var/lib/kubelet layout names the container", "[kubelet]") {
  const auto k = nsdebug::kubelet_container(nsdebug::parse_mountinfo(
      "1234 1201 0:160 / / rw,relatime master:421 - overlay overlay rw,lowerdir=/l\n"
      "1240 1234 259:1 /var/lib/kubelet/pods/63aec3e3-56e5-465e-b283-950a31e9f175/containers/shell/3 "
      "/dev/termination-log rw,relatime - ext4 /dev/nvme0n1p1 rw,discard\n"));
  REQUIRE(k);
  CHECK(k->pod_uid == kPodUid);
  CHECK(k->name == "shell");
}

TEST_CASE("a kubelet directory on its own filesystem shows a root starting at /pods",
          "[kubelet]") {
  const auto k = nsdebug::kubelet_container(nsdebug::parse_mountinfo(
      "1240 1234 259:3 /pods/63aec3e3-56e5-465e-b283-950a31e9f175/containers/nginx/12 /dev/termination-log "
      "rw,relatime - xfs /dev/nvme1n1 rw,attr2,inode64\n"));
  REQUIRE(k);
  CHECK(k->pod_uid == kPodUid);
  CHECK(k->name == "nginx");
}

TEST_CASE("a termination-log whose file was deleted still names the container", "[kubelet]") {
  const auto k = nsdebug::kubelet_container(nsdebug::parse_mountinfo(
      "1240 1234 259:1 /var/lib/kubelet/pods/63aec3e3-56e5-465e-b283-950a31e9f175/containers/nginx/0//deleted "
      "/dev/termination-log rw,relatime - ext4 /dev/nvme0n1p1 rw\n"));
  REQUIRE(k);
  CHECK(k->name == "nginx");
}

TEST_CASE("a kubelet-shaped root counts on /dev/termination-log or a custom path", "[kubelet]") {
  // terminationMessagePath: /tmp/log mounts the same kubelet file elsewhere.
  auto custom = nsdebug::kubelet_container(nsdebug::parse_mountinfo(
      "1240 1234 259:1 /var/lib/kubelet/pods/63aec3e3-56e5-465e-b283-950a31e9f175/containers/nginx/0 /tmp/log rw - ext4 /dev/sda1 rw\n"));
  REQUIRE(custom);
  CHECK(custom->name == "nginx");
  // The kubelet's own file name: random hex.
  auto hex = nsdebug::kubelet_container(nsdebug::parse_mountinfo(
      "1240 1234 259:1 /var/lib/kubelet/pods/63aec3e3-56e5-465e-b283-950a31e9f175/containers/web/8c2a91f0 /dev/termination-log rw - ext4 /dev/sda1 rw\n"));
  REQUIRE(hex);
  CHECK(hex->name == "web");
}

TEST_CASE("only a kubelet-shaped root names a container", "[kubelet]") {
  // File name not hex.
  CHECK_FALSE(nsdebug::kubelet_container(nsdebug::parse_mountinfo(
      "1240 1234 259:1 /var/lib/kubelet/pods/63aec3e3-56e5-465e-b283-950a31e9f175/containers/nginx/x-y /dev/termination-log rw - ext4 /dev/sda1 rw\n")));
  // A volume, not the containers/ directory.
  CHECK_FALSE(nsdebug::kubelet_container(nsdebug::parse_mountinfo(
      "1240 1234 259:1 /var/lib/kubelet/pods/63aec3e3-56e5-465e-b283-950a31e9f175/volumes/nginx/0 /dev/termination-log rw - ext4 /dev/sda1 rw\n")));
  // A plain file on /dev/termination-log (not under the kubelet).
  CHECK_FALSE(nsdebug::kubelet_container(nsdebug::parse_mountinfo(
      "1240 1234 0:38 /termination-log /dev/termination-log rw - tmpfs tmpfs rw\n")));
  CHECK_FALSE(nsdebug::kubelet_container({}));
}

// ---- /etc/passwd, /etc/group -----------------------------------------------

namespace {

// Captured (excerpt): the development host's /etc/passwd.
constexpr std::string_view kHostPasswd = R"(root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
messagebus:x:100:102::/nonexistent:/usr/sbin/nologin
postgres:x:101:104:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash
)";

// The Debian nginx image's /etc/group tail.
constexpr std::string_view kNginxGroup = R"(root:x:0:
daemon:x:1:
www-data:x:33:
nogroup:x:65534:
nginx:x:101:
)";

}  // namespace

TEST_CASE("passwd lines map uids to names", "[passwd]") {
  const auto names = nsdebug::parse_id_names(kHostPasswd);
  CHECK(names.size() == 7);
  CHECK(names.at(0) == "root");
  CHECK(names.at(33) == "www-data");
  CHECK(names.at(101) == "postgres");
  CHECK(names.at(65534) == "nobody");
}

TEST_CASE("group lines with an empty member list map gids to names", "[passwd]") {
  const auto names = nsdebug::parse_id_names(kNginxGroup);
  CHECK(names.size() == 5);
  CHECK(names.at(101) == "nginx");
  CHECK(names.at(65534) == "nogroup");
}

TEST_CASE("the first name for an id wins, as getpwuid does", "[passwd]") {
  const auto names = nsdebug::parse_id_names(
      "root:x:0:0:root:/root:/bin/bash\n"
      "toor:x:0:0:root alias:/root:/bin/sh\n");
  CHECK(names.size() == 1);
  CHECK(names.at(0) == "root");
}

TEST_CASE("comments, blanks, NIS lines and malformed lines are skipped", "[passwd]") {
  const auto names = nsdebug::parse_id_names(
      "# /etc/passwd\n"
      "\n"
      "   \n"
      "+::::::\n"
      "+@admins:x:::::\n"
      "-mallory:x:666:666::/:/bin/sh\n"
      "broken line\n"
      "noid:x:\n"
      "badid:x:12ab:12::/:/bin/sh\n"
      "negative:x:-1:0::/:/bin/sh\n"
      ":x:5:5::/:/bin/sh\n"
      "nginx:x:101:101:nginx user:/nonexistent:/bin/false");  // no newline
  CHECK(names.size() == 1);
  CHECK(names.at(101) == "nginx");
  CHECK_FALSE(names.contains(666));
}

// procps's pwcache names an id only when its name fits 32 bytes (P_G_SZ 33 with the NUL):
// `ps -o user` shows 4233 for a 33-byte name. A 512 KiB one padded every row of ours.
TEST_CASE("a name longer than 32 bytes leaves its id unnamed, as procps does", "[passwd]") {
  const std::string n32(32, 'u'), n33(33, 'v');
  const auto names = nsdebug::parse_id_names(n32 + ":x:4232:0::/:/bin/sh\n" + n33 +
                                             ":x:4233:0::/:/bin/sh\n" + std::string(512 << 10, 'w') +
                                             ":x:4234:0::/:/bin/sh\n");
  CHECK(names.at(4232) == n32);
  CHECK_FALSE(names.contains(4233));
  CHECK_FALSE(names.contains(4234));
}

TEST_CASE("an id whose first name is too long is not named by a later line", "[passwd]") {
  // getpwuid gives the first entry; procps then shows the number, never the second name.
  const auto names = nsdebug::parse_id_names(std::string(40, 'x') + ":x:7:7::/:/bin/sh\n"
                                             "short:x:7:7::/:/bin/sh\n");
  CHECK_FALSE(names.contains(7));
}

TEST_CASE("whole_lines keeps the text up to its last newline", "[passwd]") {
  CHECK(nsdebug::whole_lines("root:x:0:0\nmallory:x:10"sv) == "root:x:0:0\n");
  CHECK(nsdebug::whole_lines("root:x:0:0\n"sv) == "root:x:0:0\n");
  CHECK(nsdebug::whole_lines("mallory:x:10"sv).empty());
  CHECK(nsdebug::whole_lines(""sv).empty());
}

// ---- NUL-separated files ---------------------------------------------------

TEST_CASE("a cmdline splits into its arguments", "[nul]") {
  CHECK(nsdebug::split_nul("nginx\0-g\0daemon off;\0"sv) ==
        std::vector<std::string>{"nginx", "-g", "daemon off;"});
}

TEST_CASE("a trailing NUL does not make an empty last argument", "[nul]") {
  CHECK(nsdebug::split_nul("sleep\0" "3600\0"sv) == std::vector<std::string>{"sleep", "3600"});
  CHECK(nsdebug::split_nul("sleep\0" "3600"sv) == std::vector<std::string>{"sleep", "3600"});
}

TEST_CASE("empty input gives no arguments", "[nul]") {
  CHECK(nsdebug::split_nul("").empty());
  CHECK(nsdebug::split_nul("\0"sv).empty());
}

TEST_CASE("an nginx title written over argv is one argument", "[nul]") {
  // Captured from a process that rewrote argv nginx-style, past the end of argv.
  CHECK(nsdebug::split_nul("nginx: master process nginx -g daemon off;\0"sv) ==
        std::vector<std::string>{"nginx: master process nginx -g daemon off;"});
}

TEST_CASE("NUL padding after a shortened title is not a run of empty arguments", "[nul]") {
  // Captured from a process that wrote a postgres-style title and cleared the
  // rest of its argv area.
  const std::string_view text =
      "postgres: checkpointer\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"sv;
  CHECK(nsdebug::split_nul(text) == std::vector<std::string>{"postgres: checkpointer"});
}

TEST_CASE("empty arguments in the middle are kept", "[nul]") {
  CHECK(nsdebug::split_nul("sh\0-c\0\0a b\0"sv) == std::vector<std::string>{"sh", "-c", "", "a b"});
}

TEST_CASE("an environ block splits into its variables, empty values included", "[nul]") {
  // Captured: /proc/PID/environ of `env -i A=1 B= 'C=x y' sleep 1`.
  CHECK(nsdebug::split_nul("A=1\0B=\0C=x y\0"sv) == std::vector<std::string>{"A=1", "B=", "C=x y"});
}

// ---- environ ------------------------------------------------------------------

TEST_CASE("an environ block is its KEY=VALUE entries", "[environ]") {
  auto env = nsdebug::parse_environ("PATH=/bin\0HOME=/\0EMPTY=\0A=b=c\0"sv);
  CHECK(env.entries == std::vector<std::string>{"PATH=/bin", "HOME=/", "EMPTY=", "A=b=c"});
  CHECK_FALSE(env.overwritten);
  CHECK(nsdebug::parse_environ(""sv).entries.empty());
  CHECK_FALSE(nsdebug::parse_environ(""sv).overwritten);
}

TEST_CASE("nginx's title over its environ block is seen as overwritten", "[environ]") {
  // Captured from the pod's nginx master: the tail of its title, then NUL padding.
  auto env = nsdebug::parse_environ(" nginx -g daemon off;\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"sv);
  CHECK(env.entries == std::vector<std::string>{" nginx -g daemon off;"});
  CHECK(env.overwritten);
}

TEST_CASE("every entry of a partly overwritten block is kept, in order", "[environ]") {
  auto env = nsdebug::parse_environ("s: worker\0\0\0LANG=C\0=oops\0"sv);
  CHECK(env.entries == std::vector<std::string>{"s: worker", "LANG=C", "=oops"});
  CHECK(env.overwritten);
}

// Issue 13: "A=1", "A=2" kept only A=2 (getenv finds A=1), and an entry without '=' was
// dropped and called a title (exit 1). execve(2) takes both; no padding, so no title.
TEST_CASE("a name given twice and an entry without '=' are kept, and no title", "[environ]") {
  auto env = nsdebug::parse_environ("A=1\0A=2\0NOEQUALS\0=lead\0B=\0"sv);
  CHECK(env.entries == std::vector<std::string>{"A=1", "A=2", "NOEQUALS", "=lead", "B="});
  CHECK_FALSE(env.overwritten);
  CHECK(nsdebug::is_env_pair("A=1"));
  CHECK(nsdebug::is_env_pair("B="));
  CHECK_FALSE(nsdebug::is_env_pair("NOEQUALS"));
  CHECK_FALSE(nsdebug::is_env_pair("=lead"));
}

TEST_CASE("NUL padding alone, with every entry NAME=VALUE, is no title", "[environ]") {
  auto env = nsdebug::parse_environ("A=1\0\0\0B=2\0\0"sv);
  CHECK(env.entries == std::vector<std::string>{"A=1", "B=2"});
  CHECK_FALSE(env.overwritten);
}

// ---- /proc/stat -----------------------------------------------------------------

TEST_CASE("btime is read from /proc/stat among the other lines", "[stat]") {
  // Captured from this VM's /proc/stat (cpu and intr lines shortened).
  constexpr std::string_view text =
      "cpu  2255 34 2290 22625563 6290 127 456 0 0 0\n"
      "cpu0 1132 34 1155 11311655 3186 63 226 0 0 0\n"
      "intr 114930548 29 9 0 0 0\n"
      "ctxt 1990473\n"
      "btime 1764386813\n"
      "processes 26286\n"
      "procs_running 3\n";
  CHECK(nsdebug::parse_boot_time(text) == 1764386813);
  CHECK_FALSE(nsdebug::parse_boot_time("cpu 1 2 3\nctxt 5\n"));
  CHECK_FALSE(nsdebug::parse_boot_time("btime \n"));
  CHECK_FALSE(nsdebug::parse_boot_time("btime 12x\n"));
  CHECK_FALSE(nsdebug::parse_boot_time("xbtime 12\n"));
}

TEST_CASE("a stat line gives every field the table watches, comm raw", "[stat]") {
  // A comm with spaces, parentheses and a byte an escaper would change; rsslim 2^64-1.
  std::string line =
      "42 (a) b (\x1b[c)) S 7 42 40 34816 -1 4194560 100 5 3 1 25 12 0 0 20 -5 3 0 123456 "
      "8388608 301 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 2 0 0 0\n";
  auto s = nsdebug::parse_stat_line(line);
  REQUIRE(s);
  CHECK(s->comm == "a) b (\x1b[c)");
  CHECK(s->state == 'S');
  CHECK(s->ppid == 7);
  CHECK(s->pgrp == 42);
  CHECK(s->session == 40);
  CHECK(s->tpgid == -1);
  CHECK(s->minflt == 100);
  CHECK(s->majflt == 3);
  CHECK(s->utime == 25);
  CHECK(s->stime == 12);
  CHECK(s->nice == -5);
  CHECK(s->threads == 3);
  CHECK(s->start_ticks == 123456);
  CHECK(s->vsize == 8388608);
  CHECK(s->rss_pages == 301);
  CHECK(s->policy == 2);
}

TEST_CASE("a stat line cut short, or with a field that is not a number, is refused", "[stat]") {
  CHECK_FALSE(nsdebug::parse_stat_line("42 (sh) S 1 2"));
  CHECK_FALSE(nsdebug::parse_stat_line("garbage"));
  CHECK_FALSE(nsdebug::parse_stat_line(")42 (sh S 1"));
  std::string line =
      "42 (sh) S 7 42 40 0 -1 0 100 0 0 0 x 2 0 0 20 0 1 0 1 1 1 1 1 1 0 0 0 0 0 0 0 0 0 0 "
      "17 0 0 0\n";
  CHECK_FALSE(nsdebug::parse_stat_line(line));
}

TEST_CASE("statm's resident pages", "[stat]") {
  CHECK(nsdebug::parse_statm_resident("2345 310 200 1 0 120 0\n") == 310u);
  CHECK_FALSE(nsdebug::parse_statm_resident("2345"));
  CHECK_FALSE(nsdebug::parse_statm_resident(""));
}

TEST_CASE("a namespace link's inode number, for its own type only", "[stat]") {
  CHECK(nsdebug::parse_ns_link("mnt:[4026531841]", "mnt") == 4026531841u);
  CHECK(nsdebug::parse_ns_link("pid:[4026531836]", "pid") == 4026531836u);
  CHECK_FALSE(nsdebug::parse_ns_link("pid:[4026531836]", "mnt"));
  CHECK_FALSE(nsdebug::parse_ns_link("mnt:[]", "mnt"));
  CHECK_FALSE(nsdebug::parse_ns_link("mnt:[12x]", "mnt"));
  CHECK_FALSE(nsdebug::parse_ns_link("mnt:[12", "mnt"));
  CHECK_FALSE(nsdebug::parse_ns_link("mnt[12]", "mnt"));
  CHECK_FALSE(nsdebug::parse_ns_link("", "mnt"));
}
