package io.coedit.system;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The condition behind {@link ConditionalOnClusterMode}. */
class OnClusterModeCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ClusterMode wanted = (ClusterMode) metadata.getAnnotationAttributes(ConditionalOnClusterMode.class.getName())
                .get("value");
        ClusterMode inForce = ClusterMode.inForce(context.getEnvironment());
        String message = ClusterMode.PROPERTY + "=" + inForce.propertyValue();
        return wanted == inForce ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
    }
}
