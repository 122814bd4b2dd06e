package dev.longshore.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * cdk-nag's AwsSolutions rules find nothing the stack has not accepted with a reason (AcceptedNagFindings), with
 * the default settings and with every option on.
 */
class LongshoreNagTest {
    static final String EVERY_OPTION = "ai.gpu=true ai.spot=true ai.instanceTypes=g4dn.xlarge,g5.xlarge "
            + "video.inputBuckets=media-in,uploads/raw/ video.outputBucket=media-out video.outputPrefix=renditions/ "
            + "video.resultQueueUrl=https://sqs.eu-west-1.amazonaws.com/123456789012/results alarmEmail=ops@example.com "
            + "privateSubnets=true";
    static final String EXISTING_VPC = "vpcId=vpc-0123456789abcdef0 subnetIds=subnet-0123456789abcdef0,subnet-0fedcba9876543210 "
            + "securityGroupId=sg-0123456789abcdef0 vpcEndpoints=true routeTableIds=rtb-0123456789abcdef0 ai.gpu=true";

    @ParameterizedTest
    @ValueSource(strings = {"", EVERY_OPTION, EXISTING_VPC})
    void awsSolutionsRulesFindNothingUnaccepted(String settings) {
        Map<String, Object> context = new LinkedHashMap<>();
        for (String pair : settings.split(" ")) {
            if (!pair.isEmpty()) {
                context.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        App app = new App(AppProps.builder().context(context).build());
        LongshoreStack stack = LongshoreApp.build(app);
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        List<SynthesisMessage> errors = Annotations.fromStack(stack)
                .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        List<SynthesisMessage> warnings = Annotations.fromStack(stack)
                .findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        assertEquals(List.of(), describe(errors));
        assertEquals(List.of(), describe(warnings));
    }

    private static List<String> describe(List<SynthesisMessage> messages) {
        // The rule id and what it applies to; the rule's long explanation is left out.
        return messages.stream().map(m -> m.getId() + ": " + ruleOf(String.valueOf(m.getEntry().getData()))).toList();
    }

    private static String ruleOf(String text) {
        int colon = text.indexOf(": ");
        return colon < 0 ? text : text.substring(0, colon);
    }
}
