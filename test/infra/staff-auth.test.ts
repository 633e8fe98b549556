// Staff authentication as CloudFormation will create it: the user pool, its groups and client, and the JWT
// authorizer on exactly the /admin/ routes.
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { availableUtilities, loadUtilityConfig } from '#config/load';
import { httpRoutes, isAdminPath } from '#handlers/http/routes';
import { buildApp, cdkJsonContext, stackNames } from '#lib/app';
import { sharedSynth } from '#test/support/shared-synth';

function templatesFor(utility: string, deletionProtection = true) {
  if (deletionProtection) {
    const shared = sharedSynth(loadUtilityConfig(utility));
    return { data: shared.data, api: shared.template };
  }
  const app = new App({
    builtinCloudFormationValidation: false,
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
  });
  const { data, api } = buildApp({ app, config: loadUtilityConfig(utility), deletionProtection, nag: false });
  return { data: Template.fromStack(data), api: Template.fromStack(api) };
}

describe.each(availableUtilities())('staff authentication for %s', (utility) => {
  const config = loadUtilityConfig(utility);
  const { data, api } = templatesFor(utility);

  describe('the staff user pool', () => {
    it('is one pool in the stateful stack, retained and protected from deletion', () => {
      data.resourceCountIs('AWS::Cognito::UserPool', 1);
      api.resourceCountIs('AWS::Cognito::UserPool', 0);
      data.hasResource('AWS::Cognito::UserPool', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
      });
    });

    // Anyone who could sign themselves up would hold a token the authorizer accepts.
    it('lets no one sign themselves up: operators create every user', () => {
      data.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      });
    });

    it('asks for a strong password, a TOTP second factor, and blocks risky sign-ins', () => {
      data.hasResourceProperties('AWS::Cognito::UserPool', {
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 14,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        UsernameAttributes: ['email'],
      });
    });

    it('has the groups admin and staff, and one district:<code> group per district of the config', () => {
      const names = Object.values(data.findResources('AWS::Cognito::UserPoolGroup')).map(
        (group) => group.Properties.GroupName,
      );
      expect(names.sort()).toEqual(
        ['admin', 'staff', ...config.districts.map((district) => `district:${district.code}`)].sort(),
      );
    });

    // The client names the portal's address, which the stateless stack makes (test/infra/portal.test.ts).
    // Its id is public (config.json): a password reaches Cognito only through the hosted pages, never InitiateAuth.
    it("has one app client, the staff console's, beside the portal in the stateless stack: no secret, hosted sign-in only", () => {
      api.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
      api.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'ENABLED',
        EnableTokenRevocation: true,
        AccessTokenValidity: 60,
        TokenValidityUnits: Match.objectLike({ AccessToken: 'minutes' }),
      });
    });
  });

  it("keeps the previous versions' console client and its export for one release, for the upgrade", () => {
    // An API stack of the previous version imports the old client's id: the data stack deploys first, and
    // CloudFormation refuses to drop an export still in use (docs/operations.md, "Upgrading to the web portal").
    data.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    data.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'staff-console',
      GenerateSecret: false,
    });
    const exported = Object.values(data.findOutputs('*')).filter((output) =>
      JSON.stringify(output.Value).includes('StaffConsole'),
    );
    expect(exported).toHaveLength(1);
    // This version's API stack no longer imports it.
    expect(JSON.stringify(api.toJSON())).not.toMatch(/ImportValue[^}]*StaffConsole/);
  });

  describe('the JWT authorizer', () => {
    const authorizers = api.findResources('AWS::ApiGatewayV2::Authorizer');
    const [authorizerId] = Object.keys(authorizers);
    const routes = Object.values(api.findResources('AWS::ApiGatewayV2::Route')).map((route) => ({
      key: String(route.Properties.RouteKey),
      type: route.Properties.AuthorizationType,
      authorizer: route.Properties.AuthorizerId,
    }));
    const pathOf = (routeKey: string) => routeKey.split(' ')[1] ?? routeKey;

    it("is one JWT authorizer: the user pool's issuer, the console client as audience, the Authorization header", () => {
      expect(Object.keys(authorizers)).toHaveLength(1);
      const properties = authorizers[authorizerId ?? '']?.Properties;
      expect(properties).toMatchObject({
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
      });
      const issuer = JSON.stringify(properties.JwtConfiguration.Issuer);
      expect(issuer).toContain('https://cognito-idp.');
      // The issuer names the stateful stack's pool (its output) and the audience the console's client, so tokens of
      // no other pool or client pass.
      expect(issuer).toContain(stackNames(utility).data);
      const [client] = Object.keys(api.findResources('AWS::Cognito::UserPoolClient'));
      expect(properties.JwtConfiguration.Audience).toEqual([{ Ref: client }]);
    });

    it('is on every /admin/ route', () => {
      const admin = routes.filter((route) => isAdminPath(pathOf(route.key)));
      expect(admin.map((route) => route.key)).toContain('GET /admin/me');
      for (const route of admin) {
        expect(route, route.key).toEqual({ key: route.key, type: 'JWT', authorizer: { Ref: authorizerId } });
      }
    });

    it('is on no other route: citizens and webhooks are authorised in the function', () => {
      const others = routes.filter((route) => !isAdminPath(pathOf(route.key)));
      expect(others.length).toBeGreaterThan(10);
      for (const route of others) {
        expect(route, route.key).toEqual({ key: route.key, type: 'NONE', authorizer: undefined });
      }
    });
  });
});

describe('the route table', () => {
  it('makes every /admin/ route a staff route, and no other', () => {
    for (const { id, route } of httpRoutes) {
      expect(route.auth === 'staff', `${id} ${route.path}`).toBe(isAdminPath(route.path));
    }
  });
});

describe('a throw-away deployment (-c deletionProtection=false)', () => {
  it('lets the stack delete the user pool with it', () => {
    const { data } = templatesFor('seoul-water', false);
    data.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtection: 'INACTIVE' }),
    });
  });
});
