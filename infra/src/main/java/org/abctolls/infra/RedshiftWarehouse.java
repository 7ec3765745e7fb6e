package org.abctolls.infra;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.redshiftserverless.CfnNamespace;
import software.amazon.awscdk.services.redshiftserverless.CfnWorkgroup;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.RotationSchedule;
import software.amazon.awscdk.services.secretsmanager.RotationScheduleOptions;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The warehouse: a Redshift Serverless namespace and workgroup whose endpoint admits only
 * Firehose's addresses, its schema ({@link WarehouseSchema}), and the INSERT-only user that
 * loads it, whose password rotates every month by alternating between two such users.
 *
 * <p>Redshift Serverless rather than a provisioned cluster: the load is a COPY every few
 * minutes and occasional analyst queries, so paying per RPU-second used beats paying for an
 * always-on node, and there is no cluster to size or patch.
 */
public final class RedshiftWarehouse extends Construct {

    static final String NAMESPACE = "abc-tolls";
    static final String DATABASE = "tolls";
    static final String ADMIN_USER = "tolls_admin";
    /** The first of the two loader users; the other is this name with {@code _clone}. */
    static final String LOADER_USER = "tolls_loader";
    /** What a plain Redshift password may not hold, and a space. */
    static final String EXCLUDED_PASSWORD_CHARACTERS = "\"'\\/@ ";

    static final String ROTATION_HANDLER = "org.abctolls.functions.WarehouseLoaderRotationHandler::handleRequest";
    /** Where the table is: Redshift's default schema. */
    static final String SCHEMA = "public";

    static final String TABLE = "toll_events";
    private static final int PORT = 5439;

    /** How often the loader's password changes (Secrets Manager's usual 30 days). */
    static final Duration LOADER_ROTATION = Duration.days(30);

    private final CfnWorkgroup workgroup;
    private final Secret loader;
    private final CustomResource schema;
    private final Function loaderRotation;

    /** The UUID in the stack's ARN: new for every stack created, also under the same name. */
    private static String stackUniqueId() {
        return Fn.select(2, Fn.split("/", Aws.STACK_ID));
    }

    public RedshiftWarehouse(Construct scope, String id, RedshiftWarehouseProps props) {
        super(scope, id);
        Vpc vpc = Vpc.Builder.create(this, "Vpc")
                .maxAzs(3)
                .natGateways(0)
                .subnetConfiguration(List.of(SubnetConfiguration.builder()
                        .name("public")
                        .subnetType(SubnetType.PUBLIC)
                        .build()))
                .flowLogs(Map.of(
                        "All",
                        FlowLogOptions.builder()
                                .destination(FlowLogDestination.toCloudWatchLogs())
                                .build()))
                .build();
        SecurityGroup firehoseOnly = SecurityGroup.Builder.create(this, "RedshiftAccess")
                .vpc(vpc)
                .description("Redshift endpoint - Firehose addresses only")
                .allowAllOutbound(false)
                .build();
        firehoseOnly.addIngressRule(Peer.ipv4(props.firehoseCidr()), Port.tcp(PORT), "Firehose COPY");
        Findings.accept(
                firehoseOnly,
                "CdkNagValidationFailure",
                "EC23 cannot read a parameter; the only ingress is port 5439 from the FirehoseCidr parameter");

        // Redshift makes, keeps and rotates the admin's password in Secrets Manager; only the
        // deploy-time schema and the loader's rotation use it, through the Data API.
        CfnNamespace namespace = CfnNamespace.Builder.create(this, "Namespace")
                .namespaceName(NAMESPACE)
                .dbName(DATABASE)
                .adminUsername(ADMIN_USER)
                .manageAdminPassword(true)
                .adminPasswordSecretKmsKeyId(props.key().getKeyArn())
                .kmsKeyId(props.key().getKeyId())
                // Not the user activity log: it holds each statement's text, and the loader's
                // rotation sets passwords in their MD5 form, which is as good as the password.
                .logExports(List.of("userlog", "connectionlog"))
                // The warehouse outlives the stack as the other stores do, as a snapshot kept until
                // deleted by hand: a namespace kept as it is would hold its name against the next
                // deploy. The stack's id makes the name its own, so a later stack's is free.
                .finalSnapshotName(Fn.join("-", List.of(NAMESPACE, "final", stackUniqueId())))
                .build();
        workgroup = CfnWorkgroup.Builder.create(this, "Workgroup")
                .workgroupName(NAMESPACE)
                .namespaceName(namespace.getNamespaceName())
                .baseCapacity(8)
                .publiclyAccessible(true)
                .enhancedVpcRouting(false)
                .subnetIds(vpc.selectSubnets().getSubnetIds())
                // TLS only on the public endpoint.
                .configParameters(List.of(CfnWorkgroup.ConfigParameterProperty.builder()
                        .parameterKey("require_ssl")
                        .parameterValue("true")
                        .build()))
                .securityGroupIds(List.of(firehoseOnly.getSecurityGroupId()))
                .build();
        workgroup.getNode().addDependency(namespace);
        WarehouseAdminAccess admin = WarehouseAdminAccess.lookUp(this, namespace, workgroup, props.key());

        loader = Secret.Builder.create(this, "LoaderCredentials")
                .description("The Redshift user Firehose COPYs into " + TABLE + " as (INSERT only)")
                .encryptionKey(props.key())
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate("{\"username\":\"" + LOADER_USER + "\"}")
                        .generateStringKey("password")
                        .excludeCharacters(EXCLUDED_PASSWORD_CHARACTERS)
                        .requireEachIncludedType(true)
                        .passwordLength(32)
                        .build())
                .build();
        loader.grantRead(props.loader());
        // The id Default leaves the schema's logical ids as they were before it had a construct
        // of its own, so that an update does not replace what a deployed stack holds.
        schema = new WarehouseSchema(this, "Default", workgroup, admin, loader, props.functionsCode(), props.ddl())
                .resource();

        loaderRotation = JavaHandlerFunction.create(
                this,
                "LoaderRotation",
                "LoaderRotationLogs",
                props.functionsCode(),
                "Rotates the warehouse loader's password, alternating between its two users",
                ROTATION_HANDLER,
                builder -> builder.timeout(Duration.minutes(2))
                        .environment(new TreeMap<>(Map.of(
                                "WAREHOUSE_WORKGROUP",
                                workgroup.getWorkgroupName(),
                                "WAREHOUSE_DATABASE",
                                DATABASE,
                                "WAREHOUSE_ADMIN_SECRET_ARN",
                                admin.secretArn(),
                                "WAREHOUSE_SCHEMA",
                                SCHEMA,
                                "WAREHOUSE_TABLE",
                                TABLE))));
        Findings.acceptMatching(
                loaderRotation,
                "AwsSolutions-IAM5",
                "/^Resource::\\*$/",
                "X-Ray's PutTraceSegments, the Data API's DescribeStatement and GetStatementResult (which show a "
                        + "role only its own statements) and Secrets Manager's GetRandomPassword take no resource");
        admin.grant(
                loaderRotation,
                List.of("redshift-data:ExecuteStatement"),
                List.of("redshift-data:DescribeStatement", "redshift-data:GetStatementResult"));
        RotationSchedule schedule = loader.addRotationSchedule(
                "Rotation",
                RotationScheduleOptions.builder()
                        .rotationLambda(loaderRotation)
                        .automaticallyAfter(LOADER_ROTATION)
                        .build());
        // The first rotation starts as soon as the schema exists: both users must be there.
        schedule.getNode().addDependency(schema);
    }

    public String jdbcUrl() {
        return "jdbc:redshift://" + workgroup.getAttrWorkgroupEndpointAddress() + ":" + PORT + "/" + DATABASE;
    }

    /** The loader user's credentials; they rotate, so a connection reads them each time. */
    public ISecret loaderCredentials() {
        return loader;
    }

    /** What must exist before anything loads: the table and the loader users. */
    public CustomResource schema() {
        return schema;
    }

    /** The function that rotates the loader's password, monthly. */
    public Function loaderRotation() {
        return loaderRotation;
    }
}
