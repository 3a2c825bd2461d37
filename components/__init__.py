"""Reusable Pulumi components that provision one tenant's landing zone on AWS/EKS.

Each component takes one typed, documented args object whose `tenant` is the landing zone's one
`TenantContext` (tenant, account, region, tags), is secure by default, refuses bad args with one
`pulumi.InputPropertiesError` naming every problem's property path before it registers anything
(components.validation), and registers its children under itself (`parent=self`) with names derived
from its own.
"""

from components.audit import AuditLogSink, AuditLogSinkArgs
from components.cluster import TenantCluster, TenantClusterArgs
from components.context import TenantContext
from components.gpu_pool import GpuNodePool, GpuNodePoolArgs
from components.keys import KeyPurpose, TenantKeys, TenantKeysArgs
from components.landing_zone import TenantLandingZone, TenantLandingZoneArgs
from components.network import TenantNetwork, TenantNetworkArgs
from components.registry import ImmutableRegistry, ImmutableRegistryArgs
from components.secrets import TenantSecrets, TenantSecretsArgs
from components.system_pool import SystemNodePool, SystemNodePoolArgs
from components.workspace import TenantWorkspace, TenantWorkspaceArgs

__all__ = [
    "AuditLogSink",
    "AuditLogSinkArgs",
    "GpuNodePool",
    "GpuNodePoolArgs",
    "ImmutableRegistry",
    "ImmutableRegistryArgs",
    "KeyPurpose",
    "SystemNodePool",
    "SystemNodePoolArgs",
    "TenantCluster",
    "TenantClusterArgs",
    "TenantContext",
    "TenantKeys",
    "TenantKeysArgs",
    "TenantLandingZone",
    "TenantLandingZoneArgs",
    "TenantNetwork",
    "TenantNetworkArgs",
    "TenantSecrets",
    "TenantSecretsArgs",
    "TenantWorkspace",
    "TenantWorkspaceArgs",
]
