___TERMS_OF_SERVICE___

By creating or modifying this file you agree to Google Tag Manager's Community
Template Gallery Developer Terms of Service available at
https://developers.google.com/tag-manager/gallery-tos (or such other URL as
Google may provide), as modified from time to time.


___INFO___

{
  "type": "TAG",
  "id": "cvt_temp_public_id",
  "version": 1,
  "securityGroups": [],
  "displayName": "Tributary",
  "categories": ["ANALYTICS"],
  "brand": {
    "id": "brand_tributary",
    "displayName": "Tributary"
  },
  "description": "Loads the Tributary browser SDK from your Tributary ingest host with a source's write key, and sends the dataLayer event that fired the tag as a track call.",
  "containerContexts": [
    "WEB"
  ]
}


___TEMPLATE_PARAMETERS___

[
  {
    "type": "TEXT",
    "name": "writeKey",
    "displayName": "Write key",
    "simpleValueType": true,
    "help": "The write key of a JAVASCRIPT source in Tributary (issueWriteKey). It is public by design: the source's allowed origins protect it.",
    "valueValidators": [
      {
        "type": "NON_EMPTY"
      }
    ],
    "alwaysInSummary": true
  },
  {
    "type": "TEXT",
    "name": "host",
    "displayName": "Ingest host",
    "simpleValueType": true,
    "defaultValue": "https://ingest.example.com",
    "help": "The origin of your Tributary ingest, e.g. https://ingest.example.com. Also edit this template's 'Injects scripts' permission to allow https://<your host>/sdk/v1/*.",
    "valueValidators": [
      {
        "type": "NON_EMPTY"
      },
      {
        "type": "REGEX",
        "args": [
          "^https://[^/?#]+/?$"
        ]
      }
    ],
    "alwaysInSummary": true
  },
  {
    "type": "CHECKBOX",
    "name": "overrideAutocapture",
    "checkboxText": "Override the source's autocapture settings",
    "simpleValueType": true,
    "defaultValue": false,
    "help": "Unchecked, the SDK follows the autocapture settings of the source in Tributary."
  },
  {
    "type": "GROUP",
    "name": "autocapture",
    "displayName": "Autocapture",
    "groupStyle": "NO_ZIPPY",
    "enablingConditions": [
      {
        "paramName": "overrideAutocapture",
        "paramValue": true,
        "type": "EQUALS"
      }
    ],
    "subParams": [
      {
        "type": "CHECKBOX",
        "name": "pageViews",
        "checkboxText": "Page views (including single-page-app navigation)",
        "simpleValueType": true,
        "defaultValue": true
      },
      {
        "type": "CHECKBOX",
        "name": "clicks",
        "checkboxText": "Clicks",
        "simpleValueType": true,
        "defaultValue": true
      },
      {
        "type": "CHECKBOX",
        "name": "formSubmits",
        "checkboxText": "Form submits (never the values of password, hidden or card fields)",
        "simpleValueType": true,
        "defaultValue": true
      }
    ]
  },
  {
    "type": "CHECKBOX",
    "name": "trackGtmEvents",
    "checkboxText": "Also track GTM's own events (gtm.js, gtm.dom, gtm.load, …)",
    "simpleValueType": true,
    "defaultValue": false
  }
]


___SANDBOXED_JS_FOR_WEB_TEMPLATE___

// Each firing: load the SDK once (injectScript's cache token dedupes the script), call load() with the
// write key once per page (templateStorage lives as long as the page), then send the dataLayer event
// that fired the tag as a track call: a tag cannot subscribe to the dataLayer, it runs on its triggers.
const injectScript = require('injectScript');
const copyFromWindow = require('copyFromWindow');
const callInWindow = require('callInWindow');
const copyFromDataLayer = require('copyFromDataLayer');
const templateStorage = require('templateStorage');
const logToConsole = require('logToConsole');

const SCRIPT_PATH = '/sdk/v1/tributary.min.js';

function withoutTrailingSlashes(text) {
  let end = text.length;
  while (end > 0 && text.charAt(end - 1) === '/') {
    end--;
  }
  return text.substring(0, end);
}

function loadOptions(host) {
  const options = { host: host };
  if (data.overrideAutocapture) {
    options.autocapture = {
      pageViews: data.pageViews === true,
      clicks: data.clicks === true,
      formSubmits: data.formSubmits === true
    };
  }
  return options;
}

function isTracked(event) {
  if (typeof event !== 'string' || event === '') {
    return false;
  }
  return data.trackGtmEvents === true || event.indexOf('gtm.') !== 0;
}

if (!data.writeKey) {
  logToConsole('Tributary: no write key: the tag did not run. Set the write key of your JAVASCRIPT source.');
  data.gtmOnFailure();
  return;
}
if (!data.host) {
  logToConsole('Tributary: no ingest host: the tag did not run. Set the origin of your Tributary ingest.');
  data.gtmOnFailure();
  return;
}

const host = withoutTrailingSlashes(data.host);
const event = copyFromDataLayer('event');

function onLoaded() {
  if (!copyFromWindow('tributary')) {
    logToConsole('Tributary: the SDK loaded but window.tributary is missing.');
    data.gtmOnFailure();
    return;
  }
  if (templateStorage.getItem('loadedWith') !== data.writeKey) {
    callInWindow('tributary.load', data.writeKey, loadOptions(host));
    templateStorage.setItem('loadedWith', data.writeKey);
  }
  if (isTracked(event)) {
    callInWindow('tributary.track', event);
  }
  data.gtmOnSuccess();
}

function onFailed() {
  logToConsole('Tributary: could not load ' + host + SCRIPT_PATH + ' (check the host and the template permissions).');
  data.gtmOnFailure();
}

injectScript(host + SCRIPT_PATH, onLoaded, onFailed, 'tributary');


___WEB_PERMISSIONS___

[
  {
    "instance": {
      "key": {
        "publicId": "logging",
        "versionId": "1"
      },
      "param": [
        {
          "key": "environments",
          "value": {
            "type": 1,
            "string": "debug"
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "inject_script",
        "versionId": "1"
      },
      "param": [
        {
          "key": "urls",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 1,
                "string": "https://ingest.example.com/sdk/v1/*"
              }
            ]
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "access_globals",
        "versionId": "1"
      },
      "param": [
        {
          "key": "keys",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 3,
                "mapKey": [
                  { "type": 1, "string": "key" },
                  { "type": 1, "string": "read" },
                  { "type": 1, "string": "write" },
                  { "type": 1, "string": "execute" }
                ],
                "mapValue": [
                  { "type": 1, "string": "tributary" },
                  { "type": 8, "boolean": true },
                  { "type": 8, "boolean": false },
                  { "type": 8, "boolean": false }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  { "type": 1, "string": "key" },
                  { "type": 1, "string": "read" },
                  { "type": 1, "string": "write" },
                  { "type": 1, "string": "execute" }
                ],
                "mapValue": [
                  { "type": 1, "string": "tributary.load" },
                  { "type": 8, "boolean": false },
                  { "type": 8, "boolean": false },
                  { "type": 8, "boolean": true }
                ]
              },
              {
                "type": 3,
                "mapKey": [
                  { "type": 1, "string": "key" },
                  { "type": 1, "string": "read" },
                  { "type": 1, "string": "write" },
                  { "type": 1, "string": "execute" }
                ],
                "mapValue": [
                  { "type": 1, "string": "tributary.track" },
                  { "type": 8, "boolean": false },
                  { "type": 8, "boolean": false },
                  { "type": 8, "boolean": true }
                ]
              }
            ]
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "read_data_layer",
        "versionId": "1"
      },
      "param": [
        {
          "key": "allowedKeys",
          "value": {
            "type": 1,
            "string": "specific"
          }
        },
        {
          "key": "keyPatterns",
          "value": {
            "type": 2,
            "listItem": [
              {
                "type": 1,
                "string": "event"
              }
            ]
          }
        }
      ]
    },
    "clientAnnotations": {
      "isEditedByUser": true
    },
    "isRequired": true
  },
  {
    "instance": {
      "key": {
        "publicId": "access_template_storage",
        "versionId": "1"
      },
      "param": []
    },
    "isRequired": true
  }
]


___TESTS___

scenarios:
- name: Injects the SDK from the ingest host and loads it with the write key
  code: |-
    let injected;
    mock('injectScript', function(url, onSuccess, onFailure, cacheToken) {
      injected = url;
      assertThat(cacheToken).isEqualTo('tributary');
      onSuccess();
    });
    runCode(mockData);
    assertThat(injected).isEqualTo('https://ingest.example.com/sdk/v1/tributary.min.js');
    assertApi('callInWindow').wasCalledWith('tributary.load', 'wk_gtm_test', { host: 'https://ingest.example.com' });
    assertApi('gtmOnSuccess').wasCalled();
    assertApi('gtmOnFailure').wasNotCalled();
- name: Sends the dataLayer event as a track call
  code: |-
    mock('copyFromDataLayer', function(key) {
      assertThat(key).isEqualTo('event');
      return 'signup';
    });
    runCode(mockData);
    assertApi('callInWindow').wasCalledWith('tributary.track', 'signup');
    assertApi('gtmOnSuccess').wasCalled();
- name: Passes autocapture overrides to load
  code: |-
    mockData.overrideAutocapture = true;
    mockData.pageViews = true;
    mockData.clicks = false;
    mockData.formSubmits = true;
    runCode(mockData);
    assertApi('callInWindow').wasCalledWith('tributary.load', 'wk_gtm_test', {
      host: 'https://ingest.example.com',
      autocapture: { pageViews: true, clicks: false, formSubmits: true }
    });
- name: Does not track GTM's own events unless asked
  code: |-
    mock('copyFromDataLayer', function() { return 'gtm.js'; });
    runCode(mockData);
    assertApi('callInWindow').wasNotCalledWith('tributary.track', 'gtm.js');
    assertApi('gtmOnSuccess').wasCalled();
- name: Refuses to run without a write key
  code: |-
    mockData.writeKey = '';
    runCode(mockData);
    assertApi('gtmOnFailure').wasCalled();
    assertApi('gtmOnSuccess').wasNotCalled();
    assertApi('injectScript').wasNotCalled();
- name: Fails when the SDK cannot be loaded
  code: |-
    mock('injectScript', function(url, onSuccess, onFailure) {
      onFailure();
    });
    runCode(mockData);
    assertApi('gtmOnFailure').wasCalled();
    assertApi('callInWindow').wasNotCalled();
setup: |-
  const mockData = {
    writeKey: 'wk_gtm_test',
    host: 'https://ingest.example.com/',
    overrideAutocapture: false,
    trackGtmEvents: false
  };
  mock('injectScript', function(url, onSuccess) {
    onSuccess();
  });
  mock('copyFromWindow', function(key) {
    return key === 'tributary' ? {} : undefined;
  });
  mock('callInWindow', function() {});
  mock('copyFromDataLayer', function() {
    return 'purchase';
  });


___NOTES___

Tributary's Google Tag Manager template (packages/gtm). Import it in a container: Templates > Tag Templates >
New > menu > Import. See packages/gtm/README.md.
