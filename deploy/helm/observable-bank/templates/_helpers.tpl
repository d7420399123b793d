{{- define "observable-bank.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "observable-bank.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "observable-bank.selectorLabels" -}}
app.kubernetes.io/name: {{ include "observable-bank.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "observable-bank.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "observable-bank.labels" -}}
helm.sh/chart: {{ include "observable-bank.chart" . }}
{{ include "observable-bank.selectorLabels" . }}
app.kubernetes.io/version: {{ include "observable-bank.tag" . | quote }}
app.kubernetes.io/component: api
app.kubernetes.io/part-of: observable-bank
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "observable-bank.tag" -}}
{{- default .Chart.AppVersion .Values.image.tag }}
{{- end }}

{{- define "observable-bank.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "observable-bank.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Who migrates the schema: database.migrations, unless the deprecated database.migrateOnStart is set, which keeps
its old meaning (true: the api container on start; false: nothing in the chart).
*/}}
{{- define "observable-bank.migrations" -}}
{{- if hasKey .Values.database "migrateOnStart" }}
{{- ternary "onStart" "none" .Values.database.migrateOnStart }}
{{- else }}
{{- .Values.database.migrations }}
{{- end }}
{{- end }}

{{/* The database credentials, from the existing Secret: for the api container and the migration alike. */}}
{{- define "observable-bank.databaseCredentials" -}}
{{- $secret := required "database.existingSecret is required: a Secret with the database user and password" .Values.database.existingSecret -}}
- name: DATABASE_USER
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ .Values.database.userKey }}
- name: DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ .Values.database.passwordKey }}
{{- end }}

{{/* The ConfigMap's data; its checksum is a pod annotation, so a change rolls the pods. */}}
{{- define "observable-bank.configData" -}}
DATABASE_URL: {{ required "database.url is required (a JDBC URL; see deploy/values-cnpg.yaml)" .Values.database.url | quote }}
DB_MIGRATE_ON_START: {{ eq (include "observable-bank.migrations" .) "onStart" | quote }}
DB_STARTUP_TIMEOUT: {{ .Values.database.startupTimeout | quote }}
DEPLOYMENT_ENVIRONMENT: {{ .Values.deploymentEnvironment | quote }}
PORT: {{ .Values.service.port | quote }}
ADMIN_PORT: {{ .Values.service.adminPort | quote }}
{{- /* Loopback by default in config.yml: the kubelet's probes and the Service come from outside the pod. */}}
ADMIN_BIND_HOST: "0.0.0.0"
OTEL_SERVICE_NAME: {{ .Values.telemetry.serviceName | quote }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ .Values.telemetry.otlpEndpoint | quote }}
LOKI_URL: {{ .Values.telemetry.lokiUrl | quote }}
JAVA_TOOL_OPTIONS: {{ .Values.javaToolOptions | quote }}
{{- range $name, $value := .Values.telemetry.agentEnv }}
{{ $name }}: {{ $value | quote }}
{{- end }}
{{- if .Values.monitoring.podMonitor.enabled }}
OTEL_METRICS_EXPORTER: prometheus
OTEL_EXPORTER_PROMETHEUS_HOST: "0.0.0.0"
OTEL_EXPORTER_PROMETHEUS_PORT: {{ .Values.monitoring.podMonitor.port | quote }}
{{- end }}
{{- range $name, $value := .Values.config }}
{{ $name }}: {{ $value | quote }}
{{- end }}
{{- end }}

{{/* Resource attributes: static ones first, then those taken per pod through the downward API. */}}
{{- define "observable-bank.resourceAttributes" -}}
{{- $attrs := list (printf "service.namespace=%s" .Values.telemetry.serviceNamespace) (printf "service.version=%s" (include "observable-bank.tag" .)) (printf "deployment.environment.name=%s" .Values.deploymentEnvironment) "service.instance.id=$(K8S_POD_NAME)" "k8s.pod.name=$(K8S_POD_NAME)" "k8s.pod.uid=$(K8S_POD_UID)" "k8s.namespace.name=$(K8S_NAMESPACE_NAME)" "k8s.node.name=$(K8S_NODE_NAME)" (printf "k8s.deployment.name=%s" (include "observable-bank.fullname" .)) }}
{{- range $key, $value := .Values.telemetry.resourceAttributes }}
{{- $attrs = append $attrs (printf "%s=%s" $key $value) }}
{{- end }}
{{- join "," $attrs }}
{{- end }}
