package org.abctolls.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class WarehouseUsersTest {

    private static final WarehouseUsers.Credentials LOADER =
            new WarehouseUsers.Credentials("tolls_loader", "Secret-Pass1");

    @Test
    void aPasswordReachesTheWarehouseOnlyInPostgresMd5Form() {
        // python3 -c "import hashlib; print('md5' + hashlib.md5(b'Secret-Pass1tolls_loader').hexdigest())"
        assertThat(WarehouseUsers.md5Password(LOADER)).isEqualTo("md5add3c46483f44d340a2488bbf545e8de");
        assertThat(WarehouseUsers.statements(LOADER, Set.of(), "public", "toll_events"))
                .noneMatch(sql -> sql.contains("Secret-Pass1"));
        assertThat(WarehouseUsers.setPassword(LOADER))
                .isEqualTo("ALTER USER \"tolls_loader\" PASSWORD 'md5add3c46483f44d340a2488bbf545e8de'")
                .doesNotContain("Secret-Pass1");
        assertThat(LOADER.toString()).doesNotContain("Secret-Pass1");
    }

    @Test
    void theFirstDeploymentMakesBothUsersAndLetsThemOnlyInsertIntoTheTable() {
        assertThat(WarehouseUsers.statements(LOADER, Set.of(), "public", "toll_events"))
                .containsExactly(
                        "CREATE USER \"tolls_loader\" PASSWORD 'md5add3c46483f44d340a2488bbf545e8de'",
                        "CREATE USER \"tolls_loader_clone\" PASSWORD DISABLE",
                        "REVOKE CREATE ON SCHEMA \"public\" FROM PUBLIC",
                        "GRANT INSERT ON TABLE \"public\".\"toll_events\" TO \"tolls_loader\", \"tolls_loader_clone\"");
    }

    @Test
    void usersThatExistAlreadyAreAlteredNotMadeAgainSoThatEveryDeploymentConverges() {
        assertThat(WarehouseUsers.statements(
                        LOADER, Set.of("tolls_loader", "tolls_loader_clone"), "public", "toll_events"))
                .containsExactly(
                        "ALTER USER \"tolls_loader\" PASSWORD 'md5add3c46483f44d340a2488bbf545e8de'",
                        "REVOKE CREATE ON SCHEMA \"public\" FROM PUBLIC",
                        "GRANT INSERT ON TABLE \"public\".\"toll_events\" TO \"tolls_loader\", \"tolls_loader_clone\"");
        assertThat(WarehouseUsers.statements(LOADER, Set.of("tolls_loader"), "public", "toll_events"))
                .containsSubsequence(
                        "ALTER USER \"tolls_loader\" PASSWORD 'md5add3c46483f44d340a2488bbf545e8de'",
                        "CREATE USER \"tolls_loader_clone\" PASSWORD DISABLE");
    }

    @Test
    void afterARotationTheCloneIsTheCurrentUserAndKeepsItsPassword() {
        WarehouseUsers.Credentials rotated = new WarehouseUsers.Credentials("tolls_loader_clone", "Rotated-2");
        assertThat(WarehouseUsers.statements(
                        rotated, Set.of("tolls_loader", "tolls_loader_clone"), "public", "toll_events"))
                .containsExactly(
                        WarehouseUsers.setPassword(rotated),
                        "REVOKE CREATE ON SCHEMA \"public\" FROM PUBLIC",
                        "GRANT INSERT ON TABLE \"public\".\"toll_events\" TO \"tolls_loader_clone\", \"tolls_loader\"");
        assertThat(WarehouseUsers.existingUsers("tolls_loader_clone"))
                .isEqualTo("SELECT usename FROM pg_user WHERE usename IN ('tolls_loader_clone', 'tolls_loader')");
    }

    @Test
    void theTwoUsersAlternate() {
        assertThat(WarehouseUsers.alternate("tolls_loader")).isEqualTo("tolls_loader_clone");
        assertThat(WarehouseUsers.alternate("tolls_loader_clone")).isEqualTo("tolls_loader");
    }

    @Test
    void aNameThatCouldBreakOutOfItsQuotesOrChangeCaseIsRefused() {
        for (String name :
                new String[] {"Tolls", "tolls\"; DROP TABLE toll_events; --", "tolls loader", "", "x".repeat(58)}) {
            assertThatThrownBy(() -> new WarehouseUsers.Credentials(name, "p"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("lower-case SQL name");
        }
        assertThatThrownBy(() -> WarehouseUsers.canLoad("tolls_loader", "public", "toll_events'; --"))
                .hasMessageContaining("table name");
        assertThatThrownBy(() -> WarehouseUsers.statements(LOADER, Set.of(), "Public", "toll_events"))
                .hasMessageContaining("schema name");
        assertThatThrownBy(() -> new WarehouseUsers.Credentials("tolls_loader", ""))
                .hasMessageContaining("empty");
    }

    @Test
    void theRotationsCheckAsksWhetherTheUserMayReachTheSchemaAndInsert() {
        assertThat(WarehouseUsers.canLoad("tolls_loader_clone", "public", "toll_events"))
                .isEqualTo("SELECT has_schema_privilege('tolls_loader_clone', 'public', 'USAGE')"
                        + " AND has_table_privilege('tolls_loader_clone', 'public.toll_events', 'INSERT')");
    }

    @Test
    void theSecretIsReadAndRewrittenWithoutLosingItsOtherKeysAndErrorsNeverShowAValue() {
        String secret = "{\"username\":\"tolls_loader\",\"password\":\"Secret-Pass1\",\"engine\":\"redshift\"}";
        assertThat(LoaderSecret.parse(secret, "arn:loader")).isEqualTo(LOADER);
        assertThat(LoaderSecret.with(secret, new WarehouseUsers.Credentials("tolls_loader_clone", "New-Pass2"), "arn"))
                .isEqualTo("{\"username\":\"tolls_loader_clone\",\"password\":\"New-Pass2\",\"engine\":\"redshift\"}");
        assertThatThrownBy(() -> LoaderSecret.parse("{\"username\":\"tolls_loader\",\"password\":7}", "arn:loader"))
                .hasMessage("the secret arn:loader has no text 'password'");
        assertThatThrownBy(() -> LoaderSecret.parse("Secret-Pass1", "arn:loader"))
                .hasMessage("the secret arn:loader is not JSON")
                .hasNoCause();
        assertThatThrownBy(() -> LoaderSecret.parse("[\"Secret-Pass1\"]", "arn:loader"))
                .hasMessage("the secret arn:loader is not a JSON object");
    }
}
