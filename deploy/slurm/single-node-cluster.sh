#!/usr/bin/env bash
# Starts a single-node Slurm cluster on this machine (for CI and for trying the recipe on a
# laptop or a container): munge with a fresh key, slurmctld, then slurmd, all as root.
#
#   sudo deploy/slurm/single-node-cluster.sh        # needs the Debian packages slurm-wlm and munge
#
# Settings that work in a container: process tracking by /proc (proctrack/linuxproc) and no task
# plugin (task/none), so no cgroups are needed. The node offers this machine's CPUs in one
# partition, "zebra". Prints the node's state when it is up.
set -euo pipefail
command -v slurmctld >/dev/null && command -v munged >/dev/null \
  || { echo "single-node-cluster.sh: install the packages slurm-wlm and munge first" >&2; exit 2; }
host=$(hostname -s)
cpus=$(nproc)
memory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))

# munge: /run/munge must exist and belong to the munge user before munged starts.
mkdir -p /run/munge /etc/munge /var/lib/munge /var/log/munge
[ -s /etc/munge/munge.key ] || dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
chown -R munge:munge /run/munge /etc/munge /var/lib/munge /var/log/munge
chmod 0700 /etc/munge /var/lib/munge /var/log/munge
chmod 0755 /run/munge
chmod 0400 /etc/munge/munge.key
pgrep -x munged >/dev/null || runuser -u munge -- munged
munge -n | unmunge >/dev/null || { echo "munge does not work" >&2; exit 1; }

mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=zebra-ci
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=zebra Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
pgrep -x slurmctld >/dev/null || slurmctld
for _ in $(seq 1 30); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 1; done
pgrep -x slurmd >/dev/null || slurmd
for _ in $(seq 1 30); do
  state=$(sinfo -h -N -o '%T' 2>/dev/null | head -1)
  case "$state" in idle*|mixed*|allocated*) break;; esac
  sleep 1
done
sinfo -N -o '%N %T %c' | tail -n +1
case "$(sinfo -h -N -o '%T' | head -1)" in
  idle*|mixed*|allocated*) ;;
  *) echo "slurmd did not come up; see /var/log/slurm" >&2; tail -20 /var/log/slurm/slurmd.log >&2; exit 1;;
esac
