package dev.longshore.infra;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.CfnVPCEndpoint;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpoint;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupImportOptions;
import software.amazon.awscdk.services.ec2.Subnet;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;

/**
 * Where the instances run (docs/deploy.md: Network): a VPC the stack creates (public subnets by default; private
 * subnets with no route to the internet on request) or an existing one named by id. Existing resources are imported
 * from their ids, never looked up, so synthesis needs no AWS account. With endpoints, the instances reach every AWS
 * API they call without the internet.
 *
 * @param vpc           the VPC
 * @param subnets       the subnets of the instances
 * @param securityGroup the instances' security group: outbound only
 */
record FleetNetwork(IVpc vpc, SubnetSelection subnets, ISecurityGroup securityGroup) {
    /** Construct ids stay those of the first version, so an update does not replace the VPC. */
    static final String VPC_ID = "Network";
    static final String SECURITY_GROUP_ID = "WorkerSecurityGroup";
    static final String SUBNET_GROUP = "workers";

    /**
     * The APIs an instance calls: the worker (SQS, Auto Scaling, CloudWatch, SSM), the user data (ECR, Logs) and
     * Session Manager (SSM messages, EC2 messages).
     */
    static final List<InterfaceVpcEndpointAwsService> INTERFACE_ENDPOINTS = List.of(
            InterfaceVpcEndpointAwsService.SQS,
            InterfaceVpcEndpointAwsService.AUTOSCALING,
            InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
            InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
            InterfaceVpcEndpointAwsService.SSM,
            InterfaceVpcEndpointAwsService.SSM_MESSAGES,
            InterfaceVpcEndpointAwsService.EC2_MESSAGES,
            InterfaceVpcEndpointAwsService.ECR,
            InterfaceVpcEndpointAwsService.ECR_DOCKER);
    static final List<String> ENDPOINT_IDS = List.of("Sqs", "AutoScaling", "Monitoring", "Logs", "Ssm",
            "SsmMessages", "Ec2Messages", "EcrApi", "EcrDocker");

    static FleetNetwork create(Stack stack, FleetSpec.Network spec) {
        FleetNetwork network = spec.existing() ? existing(stack, spec) : created(stack, spec);
        if (spec.vpcEndpoints()) {
            network.addEndpoints(stack, spec);
        }
        return network;
    }

    private static FleetNetwork created(Stack stack, FleetSpec.Network spec) {
        SubnetType type = spec.privateSubnets() ? SubnetType.PRIVATE_ISOLATED : SubnetType.PUBLIC;
        Vpc vpc = Vpc.Builder.create(stack, VPC_ID)
                .ipAddresses(IpAddresses.cidr("10.42.0.0/16"))
                .maxAzs(spec.maxAzs())
                .natGateways(0)
                .restrictDefaultSecurityGroup(false)
                .subnetConfiguration(List.of(SubnetConfiguration.builder()
                        .name(SUBNET_GROUP)
                        .subnetType(type)
                        .cidrMask(20)
                        .build()))
                .build();
        return new FleetNetwork(vpc, SubnetSelection.builder().subnetType(type).build(), workerGroup(stack, vpc));
    }

    private static FleetNetwork existing(Stack stack, FleetSpec.Network spec) {
        IVpc vpc = Vpc.fromVpcAttributes(stack, VPC_ID, VpcAttributes.builder()
                .vpcId(spec.vpcId().orElseThrow())
                // Not looked up (synthesis stays offline); the subnets below are named, so none is chosen by zone.
                .availabilityZones(stack.getAvailabilityZones())
                .build());
        List<ISubnet> subnets = new ArrayList<>();
        for (int i = 0; i < spec.subnetIds().size(); i++) {
            subnets.add(Subnet.fromSubnetId(stack, "Subnet" + (i + 1), spec.subnetIds().get(i)));
        }
        ISecurityGroup group = spec.securityGroupId()
                .map(id -> SecurityGroup.fromSecurityGroupId(stack, SECURITY_GROUP_ID, id,
                        SecurityGroupImportOptions.builder().mutable(false).build()))
                .orElseGet(() -> workerGroup(stack, vpc));
        return new FleetNetwork(vpc, SubnetSelection.builder().subnets(subnets).build(), group);
    }

    private static ISecurityGroup workerGroup(Stack stack, IVpc vpc) {
        return SecurityGroup.Builder.create(stack, SECURITY_GROUP_ID)
                .vpc(vpc)
                .description("Longshore workers: outbound only (health endpoint stays on the instance)")
                .allowAllOutbound(true)
                .build();
    }

    private void addEndpoints(Stack stack, FleetSpec.Network spec) {
        SecurityGroup endpoints = SecurityGroup.Builder.create(stack, "EndpointSecurityGroup")
                .vpc(vpc)
                .description("Longshore VPC interface endpoints: HTTPS from the workers only")
                .allowAllOutbound(false)
                .build();
        endpoints.addIngressRule(securityGroup, Port.tcp(443), "HTTPS from the workers");
        for (int i = 0; i < INTERFACE_ENDPOINTS.size(); i++) {
            InterfaceVpcEndpoint.Builder.create(stack, ENDPOINT_IDS.get(i) + "Endpoint")
                    .vpc(vpc)
                    .service(INTERFACE_ENDPOINTS.get(i))
                    .subnets(subnets)
                    .securityGroups(List.of(endpoints))
                    // Only the workers' group may connect (above), not the whole VPC range.
                    .open(false)
                    .privateDnsEnabled(true)
                    .build();
        }
        // S3: image layers from ECR and Amazon Linux packages come from S3; so do the workers' inputs and outputs.
        if (!spec.existing()) {
            ((Vpc) vpc).addGatewayEndpoint("S3Endpoint", GatewayVpcEndpointOptions.builder()
                    .service(GatewayVpcEndpointAwsService.S3)
                    .subnets(List.of(subnets))
                    .build());
        } else if (!spec.routeTableIds().isEmpty()) {
            CfnVPCEndpoint.Builder.create(stack, "S3Endpoint")
                    .vpcId(spec.vpcId().orElseThrow())
                    .vpcEndpointType("Gateway")
                    .serviceName("com.amazonaws." + stack.getRegion() + ".s3")
                    .routeTableIds(spec.routeTableIds())
                    .build();
        }
    }
}
