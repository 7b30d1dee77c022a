"""Stack-per-environment promotion: one program, stacks `dev`, `staging` and `prod`, each
managing its own Retool organisation.

The code is the same for every stack; what differs between stages lives in the stack's
`Pulumi.<stack>.yaml` (read below with `pulumi.Config`), and which Retool a stack manages comes
from its connection settings (`retool:host` / `retool:accessToken`, or `RETOOL_HOST` /
`RETOOL_ACCESS_TOKEN`). A change to this file reaches a stage only when that stage is deployed:
`pulumi up -s dev`, check it, then `pulumi up -s staging`, then `pulumi up -s prod`.
"""

import pulumi

import retool_pulumi as retool

# A release-wide setting: changing it is a code change, promoted stage by stage.
ORDERS_API_VERSION = "v1"

stage = pulumi.get_stack()
config = pulumi.Config()
color = config.require("color")
orders_db_host = config.require("ordersDbHost")
read_replicas = config.require_int("readReplicas")
new_checkout = config.require_bool("newCheckout")
engineer_access = config.require("engineerAccess")
support_access = config.require("supportAccess")

# Every Retool organisation has a `production` environment; this program adds a `preview` one,
# coloured by stage so nobody mistakes one Retool for another.
production = retool.get_environment("production")
preview = retool.Environment(
    "preview",
    name="preview",
    color=color,
    description=f"Preview of changes in the {stage} Retool",
)

# Connections to the orders database: the primary, and as many read replicas as the stage runs.
orders_db = retool.Resource(
    "orders-db",
    type="postgresql",
    display_name="Orders DB",
    options={"database_options": {"host": orders_db_host, "port": "5432", "name": "orders"}},
)
replicas = [
    retool.Resource(
        f"orders-db-replica-{n}",
        type="postgresql",
        display_name=f"Orders DB replica {n}",
        options={
            "database_options": {"host": f"replica-{n}.{orders_db_host}", "port": "5432", "name": "orders"}
        },
    )
    for n in range(1, read_replicas + 1)
]
orders_api = retool.Resource(
    "orders-api",
    type="restapi",
    display_name="Orders API",
    options={"base_url": f"https://orders-api.{stage}.internal/{ORDERS_API_VERSION}"},
)

# Configuration variables apps read: a feature flag set per stage, and the API version.
feature_flag = retool.ConfigurationVariable(
    "feature-new-checkout",
    name="feature_new_checkout",
    secret=False,
    description="Turns on the new checkout flow in the Orders apps",
    values=[
        {"environment_id": production["id"], "value": str(new_checkout).lower()},
        {"environment_id": preview.id, "value": "true"},
    ],
)
api_version = retool.ConfigurationVariable(
    "orders-api-version",
    name="orders_api_version",
    secret=False,
    description="The Orders API version the apps call",
    values=[
        {"environment_id": production["id"], "value": ORDERS_API_VERSION},
        {"environment_id": preview.id, "value": ORDERS_API_VERSION},
    ],
)

# Who may do what: engineers get more access in the early stages, support works in its folder.
orders_folder = retool.Folder("orders-apps", name="Orders", folder_type="app")
engineers = retool.Group(
    "engineers",
    name="Engineers",
    universal_app_access=engineer_access,
    universal_resource_access=engineer_access,
    unpublished_release_access=stage != "prod",
)
support = retool.Group("support", name="Support", universal_app_access="none")
support_on_orders = retool.Permission(
    "support-on-orders",
    subject_type="group",
    subject_id=support.id,
    object_type="folder",
    object_id=orders_folder.id,
    access_level=support_access,
)

pulumi.export("stage", stage)
pulumi.export("ordersApiVersion", ORDERS_API_VERSION)
pulumi.export("previewEnvironmentId", preview.id)
pulumi.export("ordersDbId", orders_db.id)
pulumi.export("replicaIds", [r.id for r in replicas])
pulumi.export("ordersApiId", orders_api.id)
pulumi.export("featureFlagId", feature_flag.id)
pulumi.export("apiVersionVariableId", api_version.id)
pulumi.export("ordersFolderId", orders_folder.id)
pulumi.export("engineersGroupId", engineers.id)
pulumi.export("supportGroupId", support.id)
