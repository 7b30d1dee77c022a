"""The retool-pulumi quickstart: a small Retool organisation as code.

Run by `make demo` against the embedded Retool emulator. Against a real Retool, set
`retool:host` and `retool:accessToken` (as a secret) in stack config, or RETOOL_HOST and
RETOOL_ACCESS_TOKEN in the environment.
"""

import pulumi

import retool_pulumi as retool

config = pulumi.Config()
db_password = config.get_secret("dbPassword") or pulumi.Output.secret("quickstart-db-password")
api_key = config.get_secret("paymentsApiKey") or pulumi.Output.secret("quickstart-payments-key")

# Environments: production exists in every Retool and is looked up; the existing staging is
# adopted (managed from now on, but kept in Retool if the stack is destroyed); qa is ours.
production = retool.get_environment("production")
staging = retool.Environment(
    "staging",
    name="staging",
    color="#E9AB11",
    adopt_id=retool.get_environment("staging")["id"],
    opts=pulumi.ResourceOptions(retain_on_delete=True),
)
qa = retool.Environment("qa", name="qa", color="#7E57C2", description="Pre-release checks")
environments = {"production": production["id"], "staging": staging.id, "qa": qa.id}

# A PostgreSQL resource with its options per environment.
orders_db = retool.Resource(
    "orders-db",
    type="postgresql",
    display_name="Orders DB",
    options={
        "database_options": {
            "host": "orders.db.internal",
            "port": "5432",
            "name": "orders",
            "username": "retool",
            "password": db_password,
        }
    },
)
for env_name, env_id in environments.items():
    retool.ResourceConfiguration(
        f"orders-db-{env_name}",
        resource_id=orders_db.id,
        environment_id=env_id,
        options={
            "database_options": {
                "host": f"orders-{env_name}.db.internal",
                "port": "5432",
                "name": "orders",
                "username": "retool",
                "password": db_password,
            }
        },
    )

# Configuration variables: one plain, one secret.
retool.ConfigurationVariable(
    "support-email",
    name="support_email",
    secret=False,
    values=[
        {"environment_id": env_id, "value": f"support+{env}@example.com"}
        for env, env_id in environments.items()
    ],
)
retool.ConfigurationVariable(
    "payments-api-key",
    name="payments_api_key",
    secret=True,
    description="Key of the payments API",
    values=[{"environment_id": environments["production"], "value": api_key}],
)

# A folder tree.
operations = retool.Folder("operations", name="Operations", folder_type="app")
reports = retool.Folder("reports", name="Reports", folder_type="app", parent_folder_id=operations.id)

# Groups, and their access to the folders.
analysts = retool.Group("analysts", name="Analysts", universal_app_access="none", usage_analytics_access=True)
ops = retool.Group("operations-team", name="Operations team", universal_resource_access="use")
retool.Permission(
    "analysts-read-reports",
    subject_type="group",
    subject_id=analysts.id,
    object_type="folder",
    object_id=reports.id,
    access_level="use",
)
retool.Permission(
    "ops-own-operations",
    subject_type="group",
    subject_id=ops.id,
    object_type="folder",
    object_id=operations.id,
    access_level="own",
)
alice = retool.User("alice", email="alice@example.com", first_name="Alice", last_name="Analyst")
retool.GroupMember("alice-in-analysts", group_id=analysts.id, user_id=alice.id)
retool.GroupMember("alice-admin-of-ops", group_id=ops.id, user_id=alice.id, is_group_admin=True)

pulumi.export("reports_folder_id", reports.id)
pulumi.export("orders_db_id", orders_db.id)
pulumi.export("analysts_group_id", analysts.id)
pulumi.export("qa_environment_id", qa.id)
pulumi.export("alice_user_id", alice.id)
